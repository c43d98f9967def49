package org.amtbus.wsman.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.amtbus.wsman.digest.DigestHash;
import org.amtbus.wsman.digest.Password;
import org.amtbus.wsman.message.MethodInput;
import org.amtbus.wsman.message.Selector;
import org.amtbus.wsman.message.Wsman;
import org.amtbus.wsman.message.WsmanEnvelope;
import org.amtbus.wsman.message.WsmanRequest;
import org.amtbus.wsman.message.WsmanRequests;
import org.amtbus.wsman.message.XmlElement;
import org.junit.jupiter.api.Test;

/** The request side of activation: the password hash, escaping, references and the Put of a pulled instance. */
class ActivationRequestsTest {

    @Test
    void activationHashIsLowercaseHexMd5OfAdminRealmPassword() {
        // MD5("admin:Digest:00000000000000000000000000000000:P@ssw0rd") computed with md5sum
        String hash = DigestHash.ha1Hex("admin", "Digest:00000000000000000000000000000000", Password.of("P@ssw0rd"));
        assertThat(hash).matches("[0-9a-f]{32}").isEqualTo("da755d6dfcad32e09a8a47c435df43c5");
    }

    @Test
    void methodInputEscapesValuesAndWritesReferences() throws Exception {
        // given a value that would break the XML
        String input = MethodInput.create().value("Username", "a<b&\"c'").value("Port", 4433)
                .reference("MpServer", Wsman.MANAGEMENT_PRESENCE_REMOTE_SAP, new Selector("Name", "Server <0>")).toXml();
        WsmanRequest r = new WsmanRequests().invoke(Wsman.REMOTE_ACCESS_SERVICE, "AddMpServer", input);
        // when
        XmlElement in = WsmanEnvelope.parse(r.toBytes()).body().child("AddMpServer_INPUT").orElseThrow();
        // then
        assertThat(in.childText("Username")).contains("a<b&\"c'");
        assertThat(in.childText("Port")).contains("4433");
        assertThat(in.path("MpServer", "ReferenceParameters", "SelectorSet", "Selector").map(XmlElement::text))
                .contains("Server <0>");
        assertThat(r.toString()).doesNotContain("Username").doesNotContain("a<b");
        assertThatThrownBy(() -> MethodInput.create().value("bad name", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPulledAssociationIsPutBackWithItsReferencesAndChangedValues() throws Exception {
        // given an item as AMT writes it (prefixes b/c/h)
        String item = "<h:AMT_RemoteAccessPolicyAppliesToMPS xmlns:h=\"" + Wsman.REMOTE_ACCESS_POLICY_APPLIES_TO_MPS
                + "\" xmlns:b=\"" + Wsman.NS_ADDRESSING + "\" xmlns:c=\"" + Wsman.NS_WSMAN + "\">"
                + "<h:ManagedElement><b:Address>x</b:Address><b:ReferenceParameters><c:ResourceURI>u</c:ResourceURI>"
                + "<c:SelectorSet><c:Selector Name=\"Name\">S &amp; 0</c:Selector></c:SelectorSet></b:ReferenceParameters>"
                + "</h:ManagedElement><h:MpsType>0</h:MpsType><h:OrderOfAccess>3</h:OrderOfAccess></h:AMT_RemoteAccessPolicyAppliesToMPS>";
        XmlElement parsed = org.amtbus.wsman.message.SafeXml.parse(item.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // when
        XmlElement updated = ActivationSteps.withValues(ActivationSteps.withValues(parsed, "MpsType", List.of("2")),
                "OrderOfAccess", List.of("0"));
        WsmanRequest put = new WsmanRequests().put(Wsman.REMOTE_ACCESS_POLICY_APPLIES_TO_MPS, updated);
        // then
        XmlElement body = WsmanEnvelope.parse(put.toBytes()).body().child("AMT_RemoteAccessPolicyAppliesToMPS").orElseThrow();
        assertThat(body.children().stream().map(XmlElement::name)).containsExactly("ManagedElement", "MpsType", "OrderOfAccess");
        assertThat(body.childText("MpsType")).contains("2");
        assertThat(body.childText("OrderOfAccess")).contains("0");
        XmlElement selector = body.find("Selector").orElseThrow();
        assertThat(selector.text()).isEqualTo("S & 0");
        assertThat(selector.namespace()).isEqualTo(Wsman.NS_WSMAN);
        assertThat(selector.attributes()).isEqualTo(Map.of("Name", "Name"));
        assertThat(body.find("Address").orElseThrow().namespace()).isEqualTo(Wsman.NS_ADDRESSING);
    }

    @Test
    void returnCodesAreDescribedPerTable() {
        assertThat(ReturnCodeTable.PT_STATUS.describe(0x20)).isEqualTo("0x20 (INVALID_PROVISIONING_STATE)");
        assertThat(ReturnCodeTable.HOST_BASED_SETUP.describe(5)).isEqualTo("5 (authentication failed)");
        assertThat(ReturnCodeTable.CERTIFICATE_CHAIN.describe(4)).isEqualTo("4 (certificate verification failed)");
        assertThat(ReturnCodeTable.CERTIFICATE_CHAIN.describe(99)).isEqualTo("99 (unknown code)");
    }

    @Test
    void periodicPolicyDataIsRpsValueForTwentyFiveSeconds() {
        assertThat(RemoteAccessPolicy.periodic(25).extendedData()).isEqualTo("AAAAAAAAABk=");
        assertThat(new MpsServer("10.0.0.1", MpsServer.IPV4, 4433, "u", Password.of("Secret-1!"), "mps").toString())
                .doesNotContain("Secret-1!");
    }
}
