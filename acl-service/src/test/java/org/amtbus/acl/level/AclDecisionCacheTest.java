package org.amtbus.acl.level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AclDecisionCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final AclDecisionCache cache = new AclDecisionCache(3, Duration.ofSeconds(10), now::get);

    @Test
    void givenAStoredDecisionThenItIsReturnedForTheSameKeyOnly() {
        cache.put("alice", AclAction.PUBLISH, "a/b", true);
        assertThat(cache.get("alice", AclAction.PUBLISH, "a/b")).contains(true);
        assertThat(cache.get("alice", AclAction.SUBSCRIBE, "a/b")).isEmpty();
        assertThat(cache.get("bob", AclAction.PUBLISH, "a/b")).isEmpty();
        assertThat(cache.get("alice", AclAction.PUBLISH, "a/c")).isEmpty();
    }

    @Test
    void givenAnEntryOlderThanTheTimeLimitThenItIsGone() {
        cache.put("alice", AclAction.PUBLISH, "a/b", false);
        now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
        assertThat(cache.get("alice", AclAction.PUBLISH, "a/b")).contains(false);
        now.addAndGet(1);
        assertThat(cache.get("alice", AclAction.PUBLISH, "a/b")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void givenMoreEntriesThanTheCapThenTheLeastRecentlyUsedIsEvicted() {
        cache.put("a", AclAction.PUBLISH, "t", true);
        cache.put("b", AclAction.PUBLISH, "t", true);
        cache.put("c", AclAction.PUBLISH, "t", true);
        cache.get("a", AclAction.PUBLISH, "t");
        cache.put("d", AclAction.PUBLISH, "t", true);
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("b", AclAction.PUBLISH, "t")).isEmpty();
        assertThat(cache.get("a", AclAction.PUBLISH, "t")).isPresent();
    }

    @Test
    void invalidateDropsOneAccountAndInvalidateAllDropsEverything() {
        cache.put("alice", AclAction.PUBLISH, "a", true);
        cache.put("alice", AclAction.SUBSCRIBE, "a/#", true);
        cache.put("bob", AclAction.PUBLISH, "a", true);
        cache.invalidate("alice");
        assertThat(cache.get("alice", AclAction.PUBLISH, "a")).isEmpty();
        assertThat(cache.get("alice", AclAction.SUBSCRIBE, "a/#")).isEmpty();
        assertThat(cache.get("bob", AclAction.PUBLISH, "a")).contains(true);
        cache.invalidateAll();
        assertThat(cache.size()).isZero();
    }

    @Test
    void decideComputesOnceAndThenAnswersFromTheCache() {
        AtomicInteger calls = new AtomicInteger();
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("a/#", AclLevel.PUBLISH)));
        for (int i = 0; i < 3; i++) {
            boolean allowed = cache.decide("alice", AclAction.PUBLISH, "a/b", () -> {
                calls.incrementAndGet();
                return AclAction.PUBLISH.decide(policy, "a/b");
            });
            assertThat(allowed).isTrue();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void givenAnInvalidationDuringTheComputationThenTheStaleDecisionIsNotCached() {
        boolean allowed = cache.decide("alice", AclAction.PUBLISH, "a/b", () -> {
            cache.invalidate("alice"); // the grants changed while the old policy was asked
            return true;
        });
        assertThat(allowed).isTrue();
        assertThat(cache.get("alice", AclAction.PUBLISH, "a/b")).isEmpty();
    }

    @Test
    void actionsDecideThroughThePolicy() {
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("a/#", AclLevel.SUBSCRIBE)));
        assertThat(AclAction.PUBLISH.decide(policy, "a/b")).isFalse();
        assertThat(AclAction.SUBSCRIBE.decide(policy, "a/+")).isTrue();
        assertThat(AclAction.RECEIVE.decide(policy, "a/b")).isTrue();
        assertThat(AclAction.SUBSCRIBE.decide(policy, "b/+")).isFalse();
    }

    @Test
    void refusesNonsenseConfiguration() {
        assertThatThrownBy(() -> new AclDecisionCache(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AclDecisionCache(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AclDecisionCache(1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenManyThreadsThenTheCapHoldsAndAnswersStayCorrect() throws Exception {
        AclDecisionCache shared = new AclDecisionCache(64, Duration.ofMinutes(1));
        AclPolicy policy = AclPolicy.of(List.of(Grant.of("even/#", AclLevel.PUBLISH)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int seed = thread;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        String topic = ((i + seed) % 2 == 0 ? "even/" : "odd/") + (i % 100);
                        boolean allowed = shared.decide("acct" + (i % 3), AclAction.PUBLISH, topic,
                                () -> policy.canPublish(topic));
                        if (allowed != topic.startsWith("even/")) {
                            return false;
                        }
                        if (i % 1_000 == 0) {
                            shared.invalidate("acct" + seed % 3);
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
            assertThat(shared.size()).isLessThanOrEqualTo(64);
        } finally {
            pool.shutdownNow();
        }
    }
}
