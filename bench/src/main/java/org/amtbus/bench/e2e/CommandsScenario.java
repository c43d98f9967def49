package org.amtbus.bench.e2e;

final class CommandsScenario {
    private final BenchSettings settings;
    CommandsScenario(BenchSettings settings) { this.settings = settings; }
    void run() { throw new UnsupportedOperationException("commands: not yet"); }
}
