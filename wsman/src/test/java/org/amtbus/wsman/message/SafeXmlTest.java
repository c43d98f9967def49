package org.amtbus.wsman.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** SafeXml reuses pooled readers: a parse must never see another parse's document or a broken one's state. */
class SafeXmlTest {

    private static byte[] doc(int n) {
        return ("<r xmlns=\"urn:t\"><v a=\"" + n + "\">" + n + "</v>" + "<w>x</w>".repeat(n % 7) + "</r>")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDocumentAfterARefusedOneParsesCleanly() throws Exception {
        // given parses that stop in the middle of a document, for every reason SafeXml refuses one
        String[] refused = {"<r><unclosed>", "<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>", "<r/><s/>", "<r>&undefined;</r>", ""};
        for (String bad : refused) {
            assertThatThrownBy(() -> SafeXml.parse(bad.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(WsmanParseException.class);
            // when a good document comes next
            XmlElement root = SafeXml.parse(doc(3));
            // then it is read whole, with nothing left over from the refused one
            assertThat(root.name()).isEqualTo("r");
            assertThat(root.child("v").orElseThrow().attributes()).containsEntry("a", "3");
            assertThat(root.children("w")).hasSize(3);
        }
    }

    @Test
    void manyThreadsParsingAtOnceEachGetTheirOwnDocument() throws Exception {
        // given more threads than the pool keeps, each parsing its own documents many times
        int threads = SafeXml.POOL_LIMIT + 16;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                Callable<Integer> job = () -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        int n = seed * 1000 + i;
                        XmlElement root = SafeXml.parse(doc(n));
                        // then every parse returns exactly the document it was given
                        if (root.child("v").orElseThrow().text().equals(Integer.toString(n))
                                && root.children("w").size() == n % 7) {
                            ok++;
                        }
                    }
                    return ok;
                };
                done.add(pool.submit(job));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(200);
            }
        }
    }
}
