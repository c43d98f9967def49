package org.amtbus.wsman.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesGetOfGeneralSettingsExactly() {
        // given a fixed message id
        WsmanRequests requests = new WsmanRequests(() -> "uuid:00000000-0000-0000-0000-000000000001");
        // when
        String xml = requests.get(Wsman.GENERAL_SETTINGS).toXml();
        // then
        assertThat(xml).isEqualTo("<?xml version=\"1.0\" encoding=\"utf-8\"?><Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><Header>"
                + "<a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</a:Action><a:To>/wsman</a:To>"
                + "<w:ResourceURI>http://intel.com/wbem/wscim/1/amt-schema/1/AMT_GeneralSettings</w:ResourceURI>"
                + "<a:MessageID>uuid:00000000-0000-0000-0000-000000000001</a:MessageID>"
                + "<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
                + "<w:OperationTimeout>PT60S</w:OperationTimeout></Header><Body></Body></Envelope>");
    }

    @Test
    void writesRequestPowerStateChangeWithManagedSystemReference() throws Exception {
        // when
        WsmanRequest r = new WsmanRequests().requestPowerStateChange(8);
        WsmanEnvelope parsed = WsmanEnvelope.parse(r.toBytes());
        // then
        assertThat(r.messageId()).matches("uuid:[0-9a-f-]{36}");
        assertThat(parsed.action()).isEqualTo(Wsman.POWER_MANAGEMENT_SERVICE + "/RequestPowerStateChange");
        XmlElement input = parsed.body().child("RequestPowerStateChange_INPUT").orElseThrow();
        assertThat(input.namespace()).isEqualTo(Wsman.POWER_MANAGEMENT_SERVICE);
        assertThat(input.childText("PowerState")).contains("8");
        assertThat(input.path("ManagedElement", "ReferenceParameters", "ResourceURI").orElseThrow().text())
                .isEqualTo(Wsman.COMPUTER_SYSTEM);
        assertThat(input.path("ManagedElement", "ReferenceParameters", "SelectorSet").orElseThrow().children("Selector"))
                .extracting(XmlElement::text).containsExactly("CIM_ComputerSystem", "ManagedSystem");
    }

    @Test
    void refusesDoctypeWithExternalEntity() {
        // given an XXE attempt
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body>&x;</Body></Envelope>";
        // when / then
        assertThatThrownBy(() -> WsmanEnvelope.parse(b(xxe))).isInstanceOf(WsmanParseException.class);
    }

    @Test
    void refusesEntityExpansionAndDoctypeEvenWithoutEntities() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                + "<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body>&b;</Body></Envelope>";
        assertThatThrownBy(() -> WsmanEnvelope.parse(b(bomb))).isInstanceOf(WsmanParseException.class);
        String doctypeOnly = "<?xml version=\"1.0\"?><!DOCTYPE Envelope><Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body/></Envelope>";
        assertThatThrownBy(() -> WsmanEnvelope.parse(b(doctypeOnly))).isInstanceOf(WsmanParseException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void refusesDeepNestingAndNonEnvelopes() {
        String deep = "<a>".repeat(SafeXml.MAX_DEPTH + 1) + "</a>".repeat(SafeXml.MAX_DEPTH + 1);
        assertThatThrownBy(() -> SafeXml.parse(b(deep))).isInstanceOf(WsmanParseException.class);
        assertThatThrownBy(() -> WsmanEnvelope.parse(b("<Envelope><Body/></Envelope>")))
                .isInstanceOf(WsmanParseException.class).hasMessageContaining("SOAP 1.2");
        assertThatThrownBy(() -> WsmanEnvelope.parse(b("not xml"))).isInstanceOf(WsmanParseException.class);
    }

    @Test
    void mapsAmtStyleSoapFault() throws Exception {
        // given a fault as AMT writes it
        String fault = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a:Envelope xmlns:a=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:b=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\"><a:Header><b:To>x</b:To><b:RelatesTo>uuid:1</b:RelatesTo>"
                + "<b:Action a:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/fault</b:Action></a:Header>"
                + "<a:Body><a:Fault><a:Code><a:Value>a:Sender</a:Value><a:Subcode><a:Value>b:DestinationUnreachable</a:Value>"
                + "</a:Subcode></a:Code><a:Reason><a:Text xml:lang=\"en-US\">No route</a:Text></a:Reason><a:Detail></a:Detail>"
                + "</a:Fault></a:Body></a:Envelope>";
        // when
        WsmanEnvelope e = WsmanEnvelope.parse(b(fault));
        // then
        assertThat(e.action()).isEqualTo(Wsman.ACTION_FAULT);
        assertThat(e.relatesTo()).isEqualTo("uuid:1");
        assertThat(e.fault()).contains(new SoapFault("a:Sender", "b:DestinationUnreachable", "No route", ""));
        assertThat(e.fault().orElseThrow().summary()).isEqualTo("b:DestinationUnreachable: No route");
    }
}
