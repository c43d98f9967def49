package org.amtbus.wsman.message;

/** A WS-Man selector {@code <w:Selector Name="name">value</w:Selector>}. */
public record Selector(String name, String value) {
    public Selector {
        if (name == null || name.isEmpty() || value == null) {
            throw new IllegalArgumentException("selector needs a name and a value");
        }
    }
}
