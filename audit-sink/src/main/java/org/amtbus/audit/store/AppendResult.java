package org.amtbus.audit.store;

/**
 * What one {@link AuditStore#append} transaction did.
 *
 * @param stored     events chained and stored
 * @param duplicates events already stored (same event id), skipped: a redelivery
 * @param rejected   rejected records noted (a redelivered rejection counts again but is kept once)
 */
public record AppendResult(int stored, int duplicates, int rejected) {
}
