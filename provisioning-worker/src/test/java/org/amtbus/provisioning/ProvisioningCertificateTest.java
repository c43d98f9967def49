package org.amtbus.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.amtbus.provisioning.profile.ProvisioningCertificate;
import org.amtbus.sim.amt.ProvisioningPki;
import org.junit.jupiter.api.Test;

class ProvisioningCertificateTest {
    private static final ProvisioningPki PKI = new ProvisioningPki("prov.corp.example");

    @Test
    void aPfxOpensWithItsPasswordAndTheChainIsOrderedLeafToRoot() {
        ProvisioningCertificate c = ProvisioningCertificate.fromPkcs12(PKI.pfx("Pfx-Secret-1".toCharArray()), "Pfx-Secret-1".toCharArray());
        assertThat(c.leafToRoot()).containsExactly(PKI.leaf, PKI.intermediate, PKI.root);
        assertThat(c.rootSha256()).isEqualTo(PKI.rootSha256());
        assertThat(c.rootTrustedBy(Set.of(PKI.rootSha256().toUpperCase()))).isTrue();
        assertThat(c.rootTrustedBy(Set.of(ProvisioningPki.hash("SHA-1", PKI.root)))).isTrue();
        assertThat(c.rootTrustedBy(Set.of("00".repeat(32)))).isFalse();
        assertThat(c.coversSuffix("corp.example")).isTrue();
        assertThat(c.coversSuffix("prov.corp.example")).isTrue();
        assertThat(c.coversSuffix("other.example")).isFalse();
        assertThat(c.toString()).doesNotContain("Pfx-Secret-1").contains("key=[hidden]");
    }

    @Test
    void aWrongPasswordIsAClearErrorWithoutThePassword() {
        assertThatThrownBy(() -> ProvisioningCertificate.fromPkcs12(PKI.pfx("Pfx-Secret-1".toCharArray()), "Wrong-Pass".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the .pfx cannot be opened (not PKCS#12, or a wrong password)");
    }

    @Test
    void aChainWithoutItsIntermediateIsIncomplete() {
        assertThatThrownBy(() -> ProvisioningCertificate.of(PKI.leafKey, List.of(PKI.leaf, PKI.root)))
                .hasMessageStartingWith("the chain is incomplete");
    }
}
