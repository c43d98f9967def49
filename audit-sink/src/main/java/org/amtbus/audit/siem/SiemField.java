package org.amtbus.audit.siem;

/**
 * The one mapping table from an audit event's fields to each SIEM format's field; every encoder is
 * driven by it, so a field is added once. CEF keys are dictionary keys (or {@code csN} with a label,
 * never user-defined keys); RFC 5424 names are PARAM-NAMEs of the {@code audit@<PEN>} SD-ELEMENT;
 * ECS, OCSF and HEC names are the JSON paths those formats define (HEC as index-time
 * {@code fields}). Every format carries {@link #EVENT_ID}, the stable dedup key.
 *
 * <p>CEF lengths are the dictionary's limits in characters; longer values are cut before escaping.
 */
public enum SiemField {
    //          CEF key        CEF label     CEF max  LEEF key      SD param     ECS                   OCSF                       HEC field
    EVENT_ID("externalId", null, 40, "eventId", "eventId", "event.id", "metadata.uid", "event_id"),
    TIME("rt", null, 20, "devTime", "time", "@timestamp", "time", "time"),
    TYPE("cat", null, 1023, "cat", "type", "event.action", "metadata.event_code", "event_type"),
    ACTOR_KIND("cs3", "actorKind", 4000, "actorKind", "actorKind", "user.roles", "actor.user.type", "actor_kind"),
    ACTOR("suser", null, 1023, "usrName", "actor", "user.name", "actor.user.name", "user"),
    SOURCE("src", null, 1023, "src", "source", "source.address", "src_endpoint.ip", "src"),
    TENANT("cs4", "tenant", 4000, "tenant", "tenant", "organization.id", "metadata.tenant_uid", "tenant"),
    TARGET("request", null, 1023, "resource", "target", "event.reference", "api.request.uid", "target"),
    OUTCOME("outcome", null, 63, "outcome", "outcome", "event.outcome", "status", "outcome"),
    REASON("reason", null, 1023, "reason", "reason", "event.reason", "status_detail", "reason"),
    STREAM("cs1", "stream", 4000, "stream", "stream", "event.provider", "metadata.log_provider", "stream"),
    SEQ("cn1", "seq", 20, "seq", "seq", "event.sequence", "metadata.sequence", "seq");

    private final String cef;
    private final String cefLabel;
    private final int cefMaxLength;
    private final String leef;
    private final String sdParam;
    private final String ecs;
    private final String ocsf;
    private final String hec;

    SiemField(String cef, String cefLabel, int cefMaxLength, String leef, String sdParam, String ecs, String ocsf,
              String hec) {
        this.cef = cef;
        this.cefLabel = cefLabel;
        this.cefMaxLength = cefMaxLength;
        this.leef = leef;
        this.sdParam = sdParam;
        this.ecs = ecs;
        this.ocsf = ocsf;
        this.hec = hec;
    }

    public String cef() {
        return cef;
    }

    /** For {@code csN}/{@code cnN} keys, the value of the matching {@code csNLabel}; null for dictionary keys. */
    public String cefLabel() {
        return cefLabel;
    }

    public int cefMaxLength() {
        return cefMaxLength;
    }

    public String leef() {
        return leef;
    }

    public String sdParam() {
        return sdParam;
    }

    public String ecs() {
        return ecs;
    }

    public String ocsf() {
        return ocsf;
    }

    public String hec() {
        return hec;
    }
}
