package org.amtbus.bench.e2e;

final class CiraScenario {
    private final BenchSettings settings;
    CiraScenario(BenchSettings settings) { this.settings = settings; }
    void run() { throw new UnsupportedOperationException("cira: not yet"); }
}
