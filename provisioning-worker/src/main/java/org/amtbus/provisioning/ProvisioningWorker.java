package org.amtbus.provisioning;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceEnrollment;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.secret.Secret;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.Domain;
import org.amtbus.provisioning.profile.DomainStore;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.provisioning.profile.ProvisioningCertificate;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.ProvisioningStatus;
import org.amtbus.schemas.model.TenantId;
import org.amtbus.wsman.activation.ActivationStep;
import org.amtbus.wsman.activation.ActivationSteps;
import org.amtbus.wsman.activation.StepOutcome;
import org.amtbus.wsman.client.FailureKind;
import org.amtbus.wsman.client.Transport;
import org.amtbus.wsman.client.WsmanClient;
import org.amtbus.wsman.digest.DigestClient;
import org.amtbus.wsman.digest.Password;
import org.amtbus.wsman.message.WsmanRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a profile to a device over a WS-Man {@link Transport} to its local AMT (the agent relay), and
 * deactivates it: generate the device's unique passwords, store them, register the device, activate (CCM,
 * or ACM with the domain's provisioning certificate), set MEBx (ACM), configure CIRA against our gateway.
 * Progress and outcome go to Kafka {@code amtbus.provisioning} ({@link StatusPublisher}); every run ends in
 * one {@code profile.applied} audit event.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A failed run leaves no half-made device: its secrets, registration and run row are removed, and
 *       {@code Unprovision} is sent if activation may have happened. If the device cannot be unprovisioned,
 *       its registration and admin password are kept (deleting them would lock us out of an activated
 *       machine) and the failure says so.</li>
 *   <li>One run per device at a time ({@link ProvisioningRuns}); a repeat of a request already applied with
 *       the same profile succeeds without touching the device; a device registered by someone else or
 *       provisioned with another profile is refused unchanged.</li>
 *   <li>No password, .pfx or .pfx password appears in a log line, exception, status or audit event: they
 *       travel only as {@link Secret}/{@link Password} and leave only to the secret store and the device.</li>
 * </ul>
 * Blocking (JDBC, secret store, WS-Man): run each request on its own (virtual) thread. Thread-safe.
 */
public final class ProvisioningWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningWorker.class);
    /** How long one WS-Man exchange may take over the relay. */
    public static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(30);

    private final ProfileStore profiles;
    private final DomainStore domains;
    private final ProvisioningRuns runs;
    private final DeviceRegistry registry;
    private final DeviceSecrets secrets;
    private final DeviceEnrollment enrollment;
    private final StatusPublisher status;
    private final AuditLog audit;
    private final X509Certificate nodeCa;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Names this worker in the run rows it holds; its heartbeat keeps them from being taken over. */
    private final String workerId = "worker-" + UUID.randomUUID();
    /** Devices this worker is applying a request to now (their run rows get its heartbeat). */
    private final Set<DeviceGuid> active = ConcurrentHashMap.newKeySet();
    /** Steps at which the device may have been activated already (a recovery must ask it). */
    private static final Set<String> DEVICE_STEPS = Set.of("activate", "mebx", "consent", "network", "cira");

    /**
     * @param nodeCa the CA our CIRA gateway's certificate comes from: the root devices trust for CIRA unless
     *               the profile names another
     */
    public ProvisioningWorker(ProfileStore profiles, DomainStore domains, ProvisioningRuns runs, DeviceRegistry registry,
                              DeviceSecrets secrets, StatusPublisher status, AuditLog audit, X509Certificate nodeCa,
                              Clock clock) {
        this.profiles = Objects.requireNonNull(profiles);
        this.domains = Objects.requireNonNull(domains);
        this.runs = Objects.requireNonNull(runs);
        this.registry = Objects.requireNonNull(registry);
        this.secrets = Objects.requireNonNull(secrets);
        this.status = Objects.requireNonNull(status);
        this.audit = Objects.requireNonNull(audit);
        this.nodeCa = Objects.requireNonNull(nodeCa);
        this.clock = Objects.requireNonNull(clock);
        this.enrollment = new DeviceEnrollment(registry, secrets, audit, clock);
    }

    /** A step failed; its reason is free of secrets. */
    private static final class StepFailure extends Exception {
        final String step;
        final boolean refusal;

        StepFailure(String step, String reason, boolean refusal) {
            super(reason, null, false, false);
            this.step = step;
            this.refusal = refusal;
        }
    }

    /**
     * Applies {@code request}'s profile to the device behind {@code device}.
     *
     * @param report what the agent reported (DNS suffix and trusted root hashes; used for ACM)
     * @param device WS-Man to the device's local AMT (the agent's relay)
     * @param actor  who asked, for the audit trail
     */
    public ProvisioningOutcome provision(ProvisioningRequest request, DeviceReport report, Transport device,
                                         AuditEvent.Actor actor) {
        Run run = new Run(request, report, device, actor);
        status.progress(request.id(), request.tenant(), request.guid(), "accepted", ProvisioningStatus.State.PENDING);
        LOG.info("event=provisioning.started guid={} tenant={} profile={} request={}", request.guid().value(),
                request.tenant().value(), request.profile(), request.id());
        ProvisioningOutcome outcome = run.execute();
        audit.event("profile.applied").actor(actor).tenant(request.tenant()).target("device:" + request.guid().value())
                .outcome(outcome.succeeded() ? AuditEvent.Outcome.SUCCESS
                        : outcome.result() == ProvisioningOutcome.Result.REFUSED ? AuditEvent.Outcome.DENIED
                        : AuditEvent.Outcome.FAILURE)
                .reason(outcome.reason()).detail("profile", request.profile()).detail("step", outcome.step())
                .detail("requestId", request.id().toString())
                .detail("alreadyDone", Boolean.toString(outcome.alreadyDone())).emit();
        LOG.info("event=provisioning.finished guid={} profile={} result={} step={} reason={}", request.guid().value(),
                request.profile(), outcome.result(), outcome.step(), outcome.reason());
        return outcome;
    }

    /**
     * Deactivates a device this worker (or an operator) provisioned: {@code Unprovision} over {@code device}
     * with its admin password, then its registration, secrets and run are removed. If the device refuses,
     * nothing is removed and the failure says why.
     */
    public ProvisioningOutcome deactivate(TenantId tenant, DeviceGuid guid, Transport device, AuditEvent.Actor actor) {
        return deactivate(null, tenant, guid, Optional.of(device), actor);
    }

    /**
     * Applies {@code request}'s profile to a device that is already managed, over WS-Man through the gateway holding
     * its CIRA connection ({@link Reconfiguration}): no agent, no new secrets, no activation.
     *
     * @param device WS-Man to the device through its gateway
     */
    public ProvisioningOutcome reconfigure(ProvisioningRequest request, Transport device, AuditEvent.Actor actor) {
        active.add(request.guid());
        try (OpenedConnections channels = new OpenedConnections(device)) {
            return new Reconfiguration(profiles, runs, registry, secrets, status, audit, workerId,
                    (guid, admin) -> steps(channels, guid, admin)).apply(request, actor);
        } finally {
            active.remove(request.guid());
        }
    }

    /** Whether the device is managed (registered) in {@code tenant} and not being provisioned now: a reconfiguration's case. */
    public boolean managed(TenantId tenant, DeviceGuid guid) {
        return registry.find(guid).filter(d -> d.tenant().equals(tenant)).isPresent()
                && runs.find(guid).filter(r -> r.state() == ProvisioningRuns.State.RUNNING).isEmpty();
    }

    /**
     * Deactivates a device over whichever path reaches it ({@link #deactivate(TenantId, DeviceGuid, Transport,
     * AuditEvent.Actor)}); with no path, nothing is changed and the failure is reported and audited.
     *
     * @param path WS-Man to the device (through the gateway holding its CIRA connection, or its agent), if any
     */
    public ProvisioningOutcome deactivate(TenantId tenant, DeviceGuid guid, Optional<Transport> path, AuditEvent.Actor actor) {
        return deactivate(null, tenant, guid, path, actor);
    }

    /**
     * Carries out a {@link ProvisioningRequest.Action#DEACTIVATE} request: as {@link #deactivate(TenantId, DeviceGuid,
     * Optional, AuditEvent.Actor)}, its statuses naming the request.
     */
    public ProvisioningOutcome deactivate(ProvisioningRequest request, Optional<Transport> path, AuditEvent.Actor actor) {
        if (request.action() != ProvisioningRequest.Action.DEACTIVATE) {
            throw new IllegalArgumentException("request " + request.id() + " does not ask for a deactivation");
        }
        return deactivate(request.id(), request.tenant(), request.guid(), path, actor);
    }

    private ProvisioningOutcome deactivate(UUID requestId, TenantId tenant, DeviceGuid guid, Optional<Transport> path,
                                           AuditEvent.Actor actor) {
        ProvisioningOutcome outcome;
        Optional<Secret> admin = secrets.get(guid, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD);
        if (registry.find(guid).filter(d -> d.tenant().equals(tenant)).isEmpty()) {
            outcome = new ProvisioningOutcome(ProvisioningOutcome.Result.REFUSED, "deactivate",
                    "device " + guid.value() + " is not registered in tenant " + tenant.value(), false);
        } else if (admin.isEmpty()) {
            outcome = new ProvisioningOutcome(ProvisioningOutcome.Result.FAILED, "deactivate",
                    "no AMT admin password is stored for the device", false);
        } else if (path.isEmpty()) {
            outcome = new ProvisioningOutcome(ProvisioningOutcome.Result.FAILED, "deactivate",
                    "device " + guid.value() + " is connected neither over CIRA nor through an agent", false);
        } else {
            StepOutcome<Void> unprovisioned;
            try (OpenedConnections channels = new OpenedConnections(path.get())) {
                unprovisioned = steps(channels, guid, admin.get()).unprovision();
            }
            if (unprovisioned instanceof StepOutcome.Failed<Void> f) {
                outcome = new ProvisioningOutcome(ProvisioningOutcome.Result.FAILED, "deactivate", f.reason(), false);
            } else {
                enrollment.remove(guid, actor);
                runs.release(guid);
                outcome = new ProvisioningOutcome(ProvisioningOutcome.Result.SUCCEEDED, "deactivate", null, false);
            }
        }
        status.terminal(requestId, tenant, guid, "deactivate", outcome.succeeded() ? ProvisioningStatus.State.SUCCEEDED
                : ProvisioningStatus.State.FAILED, outcome.reason());
        removed(requestId, tenant, guid, actor, outcome);
        return outcome;
    }

    /** Audits and logs a deactivation's outcome ({@code profile.removed}). */
    private void removed(UUID requestId, TenantId tenant, DeviceGuid guid, AuditEvent.Actor actor, ProvisioningOutcome outcome) {
        var event = audit.event("profile.removed").actor(actor).tenant(tenant).target("device:" + guid.value())
                .outcome(outcome.succeeded() ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE)
                .reason(outcome.reason());
        if (requestId != null) {
            event.detail("requestId", requestId.toString());
        }
        event.emit();
        if (outcome.reason() == null) {
            LOG.info("event=provisioning.deactivated guid={} result={}", guid.value(), outcome.result());
        } else {
            LOG.info("event=provisioning.deactivated guid={} result={} reason=\"{}\"", guid.value(), outcome.result(),
                    outcome.reason());
        }
    }

    /** This worker's name in the run rows it holds. */
    public String workerId() {
        return workerId;
    }

    /** The devices this worker is applying a request to now (a snapshot), for its heartbeat. */
    public Set<DeviceGuid> activeDevices() {
        return Set.copyOf(active);
    }

    /**
     * Rolls back a run whose worker stopped mid-run ({@link ProvisioningRuns#takeOverStale}): from the step it
     * had reached, {@code Unprovision} if the device reports it is activated (over {@code device}, with the
     * stored admin password), then the registration, the secrets and the run row. Ends in a {@code failed}
     * and a {@code rolled-back} status (step {@code recovery}) and a {@code profile.applied} failure event.
     *
     * @param device the agent relay now, if any: a run past {@code secrets} is not touched without it
     * @return false when the run must wait (no relay, or the device could not be unprovisioned): its row stays
     *         and is taken over again a lease later
     */
    public boolean recover(ProvisioningRuns.Stale stale, Optional<Transport> device) {
        ProvisioningRuns.Run run = stale.run();
        DeviceGuid guid = run.guid();
        boolean mayBeActivated = DEVICE_STEPS.contains(stale.step());
        List<String> undone = new ArrayList<>();
        if (mayBeActivated) {
            Optional<Secret> admin = secrets.get(guid, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD);
            if (device.isEmpty() || admin.isEmpty()) {
                LOG.warn("event=provisioning.recovery-deferred guid={} step={} reason={}", guid.value(), stale.step(),
                        device.isEmpty() ? "no path to the device (agent or CIRA)" : "no admin password stored");
                return false;
            }
            // every connection the recovery opens is closed when it ends (a CIRA channel would else stay open)
            try (OpenedConnections channels = new OpenedConnections(device.get())) {
                ActivationSteps amt = steps(channels, guid, admin.get());
                StepOutcome<org.amtbus.wsman.activation.ProvisioningStatus> state = amt.readProvisioningStatus();
                if (state instanceof StepOutcome.Failed<?> f) {
                    LOG.warn("event=provisioning.recovery-deferred guid={} step={} reason=\"{}\"", guid.value(), stale.step(),
                            f.reason());
                    return false;
                }
                if (!((StepOutcome.Done<org.amtbus.wsman.activation.ProvisioningStatus>) state).value().preProvisioning()) {
                    if (amt.unprovision() instanceof StepOutcome.Failed<Void> f) {
                        LOG.warn("event=provisioning.recovery-deferred guid={} step={} reason=\"{}\"", guid.value(),
                                stale.step(), f.reason());
                        return false;
                    }
                    undone.add("activation");
                }
            }
        }
        if (mayBeActivated || stale.step().equals("secrets")) {
            if (registry.find(guid).filter(d -> d.tenant().equals(run.tenant())).isPresent()) {
                enrollment.remove(guid, AuditEvent.Actor.system(workerId));
                undone.add("registration and secrets");
            }
        }
        runs.release(guid);
        undone.add("run");
        String reason = "the worker applying request " + run.requestId() + " stopped at step " + stale.step();
        status.terminal(run.requestId(), run.tenant(), guid, "recovery", ProvisioningStatus.State.FAILED, reason);
        status.terminal(run.requestId(), run.tenant(), guid, "rollback", ProvisioningStatus.State.ROLLED_BACK,
                "undone: " + String.join(", ", undone));
        audit.event("profile.applied").actor(AuditEvent.Actor.system(workerId)).tenant(run.tenant())
                .target("device:" + guid.value()).outcome(AuditEvent.Outcome.FAILURE).reason(reason)
                .detail("profile", run.profile()).detail("step", stale.step()).detail("requestId", run.requestId().toString())
                .detail("recovered", "true").emit();
        LOG.info("event=provisioning.recovered guid={} step={} request={} undone=\"{}\"", guid.value(), stale.step(),
                run.requestId(), String.join(", ", undone));
        return true;
    }

    private ActivationSteps steps(Transport device, DeviceGuid guid, Secret adminPassword) {
        Password password = DevicePasswords.password(adminPassword);
        WsmanClient client = new WsmanClient(device, new DigestClient(ActivationSteps.ADMIN_USER, password, random),
                guid.value(), EXCHANGE_TIMEOUT, clock);
        return new ActivationSteps(client, new WsmanRequests(), random);
    }

    /** One request's run: its state is the rollback and what the device may already be. */
    private final class Run {
        final ProvisioningRequest request;
        final DeviceReport report;
        final Transport device;
        final AuditEvent.Actor actor;
        final DeviceGuid guid;
        final Rollback rollback = new Rollback();
        /** Whether this run holds the device's run row (and so its heartbeat). */
        boolean claimed;

        Run(ProvisioningRequest request, DeviceReport report, Transport device, AuditEvent.Actor actor) {
            this.request = request;
            this.report = report;
            this.device = device;
            this.actor = actor;
            this.guid = request.guid();
        }

        ProvisioningOutcome execute() {
            try {
                return applySteps();
            } finally {
                if (claimed) {
                    active.remove(guid);
                }
            }
        }

        private ProvisioningOutcome applySteps() {
            String step = "profile";
            try {
                Profile profile = profiles.find(request.tenant(), request.profile()).orElseThrow(() -> new StepFailure("profile",
                        "tenant " + request.tenant().value() + " has no profile " + request.profile(), true));
                step = "claim";
                Optional<ProvisioningOutcome> held = claim(profile);
                if (held.isPresent()) {
                    return finish(held.get());
                }
                rollback.add("run", () -> runs.release(guid));
                step = "certificate";
                Optional<ProvisioningCertificate> certificate = profile.controlMode() == ControlMode.ACM
                        ? Optional.of(certificateFor()) : Optional.empty();
                if (registry.find(guid).isPresent()) {
                    throw new StepFailure("register", "device " + guid.value()
                            + " is already registered; remove or deactivate it first", true);
                }

                step = "secrets";
                running(step);
                DevicePasswords passwords = DevicePasswords.generate(profile.controlMode() == ControlMode.ACM);
                String ciraUsername = org.amtbus.platform.device.Device.defaultCiraUsername(guid);
                if (!enrollment.register(guid, request.tenant(), ciraUsername, Optional.empty(), profile.tags(),
                        passwords.cira(), passwords.admin(), actor)) {
                    throw new StepFailure("register", "device " + guid.value() + " was registered concurrently", true);
                }
                // removes the row and every devices/<guid>/ secret, the MEBx one included
                rollback.add("registration and secrets", () -> {
                    if (!enrollment.remove(guid, actor)) {
                        secrets.deleteAll(guid);
                    }
                });
                if (passwords.mebx().isPresent()) {
                    secrets.put(guid, DeviceSecrets.Kind.MEBX_PASSWORD, passwords.mebx().get());
                }

                step = "activate";
                running(step);
                ActivationSteps amt = steps(device, guid, passwords.admin());
                Password admin = DevicePasswords.password(passwords.admin());
                StepOutcome<Void> activated = certificate.isPresent()
                        ? amt.activateAdminControlMode(admin, certificate.get().key(), certificate.get().leafToRoot())
                        : amt.activateClientControlMode(admin);
                if (activated instanceof StepOutcome.Failed<Void> f) {
                    if (f.kind() != FailureKind.DEVICE_REFUSED && (f.step() == ActivationStep.SETUP_CLIENT_CONTROL
                            || f.step() == ActivationStep.ADMIN_SETUP)) {
                        // the setup's answer was lost: the device may be activated with the new password
                        // (a failure before the setup, e.g. the agent gone at the first read, activated nothing)
                        rollback.add("activation", () -> unprovision(passwords.admin()));
                    }
                    throw failure(step, f);
                }
                rollback.add("activation", () -> unprovision(passwords.admin()));

                if (passwords.mebx().isPresent()) {
                    step = "mebx";
                    running(step);
                    StepOutcome<Void> mebx = amt.setMebxPassword(DevicePasswords.password(passwords.mebx().get()));
                    if (mebx instanceof StepOutcome.Failed<Void> f) {
                        throw failure(step, f);
                    }
                }

                if (profile.controlMode() == ControlMode.ACM) {
                    // CCM always requires consent (firmware refuses anything else), so only ACM applies the profile's
                    step = "consent";
                    running(step);
                    StepOutcome<Void> consent = amt.configureUserConsent(profile.userConsent().optInRequired());
                    if (consent instanceof StepOutcome.Failed<Void> f) {
                        throw failure(step, f);
                    }
                }

                step = "network";
                running(step);
                StepOutcome<Void> network = amt.configureWiredNetwork(profile.network().wired());
                if (network instanceof StepOutcome.Failed<Void> f) {
                    throw failure(step, f);
                }

                step = "cira";
                running(step);
                StepOutcome<String> cira = amt.configureCira(profile.cira().configuration(nodeCa, ciraUsername,
                        DevicePasswords.password(passwords.cira())));
                if (cira instanceof StepOutcome.Failed<String> f) {
                    throw failure(step, f);
                }

                runs.markProvisioned(guid);
                String note = profile.controlMode().wireName() + " with profile " + profile.name() + "; CIRA to "
                        + profile.cira().mpsAddress() + ":" + profile.cira().mpsPort();
                status.terminal(request.id(), request.tenant(), guid, "done", ProvisioningStatus.State.SUCCEEDED, note);
                return new ProvisioningOutcome(ProvisioningOutcome.Result.SUCCEEDED, "done", note, false);
            } catch (StepFailure f) {
                return failed(f.step, f.getMessage(), f.refusal);
            } catch (RuntimeException e) {
                // a store or the relay broke: the message names the resource, never a secret
                LOG.error("event=provisioning.error guid={} step={} error={}", guid.value(), step, e.toString());
                return failed(step, step + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                        false);
            }
        }

        /** Empty when the device is now ours to provision; else how the request ends without touching it. */
        private Optional<ProvisioningOutcome> claim(Profile profile) {
            Optional<ProvisioningRuns.Run> held = runs.claim(new ProvisioningRuns.Run(guid, request.tenant(), profile.name(),
                    ProvisioningRuns.State.RUNNING, request.id(), profile.controlMode()), workerId);
            if (held.isEmpty()) {
                claimed = true;
                active.add(guid);
                return Optional.empty();
            }
            ProvisioningRuns.Run other = held.get();
            if (!other.tenant().equals(request.tenant())) {
                return Optional.of(refused("claim", "device " + guid.value() + " is provisioned in another tenant"));
            }
            if (other.state() == ProvisioningRuns.State.RUNNING) {
                return Optional.of(refused("claim", "a provisioning request for this device is in progress (request "
                        + other.requestId() + ", profile " + other.profile() + ")"));
            }
            if (!other.profile().equals(profile.name())) {
                return Optional.of(refused("claim", "device is provisioned with profile " + other.profile()
                        + "; deactivate it before applying " + profile.name()));
            }
            String note = "already provisioned with profile " + profile.name() + " (request " + other.requestId() + ")";
            return Optional.of(new ProvisioningOutcome(ProvisioningOutcome.Result.SUCCEEDED, "done", note, true));
        }

        private ProvisioningCertificate certificateFor() throws StepFailure {
            Domain domain = domains.findBySuffix(request.tenant(), report.dnsSuffix()).orElseThrow(() -> new StepFailure(
                    "certificate", "tenant " + request.tenant().value() + " has no domain for DNS suffix " + report.dnsSuffix(),
                    true));
            ProvisioningCertificate certificate;
            try {
                certificate = domains.openCertificate(domain);
            } catch (IllegalStateException e) {
                throw new StepFailure("certificate", e.getMessage(), true);
            }
            if (!certificate.rootTrustedBy(report.trustedRootHashes())) {
                throw new StepFailure("certificate", "the root of domain " + domain.name() + "'s certificate (SHA-256 "
                        + certificate.rootSha256() + ") is not among the device's trusted root hashes", true);
            }
            if (!certificate.expiresAt().isAfter(clock.instant())) {
                throw new StepFailure("certificate", "the certificate of domain " + domain.name() + " expired at "
                        + certificate.expiresAt(), true);
            }
            return certificate;
        }

        private void unprovision(Secret adminPassword) throws Exception {
            StepOutcome<Void> outcome = steps(device, guid, adminPassword).unprovision();
            if (outcome instanceof StepOutcome.Failed<Void> f) {
                throw new IllegalStateException(f.reason());
            }
        }

        private void running(String step) {
            runs.step(guid, step);
            status.progress(request.id(), request.tenant(), guid, step, ProvisioningStatus.State.RUNNING);
        }

        private StepFailure failure(String step, StepOutcome.Failed<?> f) {
            return new StepFailure(step, f.reason(), false);
        }

        private ProvisioningOutcome refused(String step, String reason) {
            return new ProvisioningOutcome(ProvisioningOutcome.Result.REFUSED, step, reason, false);
        }

        private ProvisioningOutcome failed(String step, String reason, boolean refusal) {
            Rollback.Report undone = rollback.run(guid.value());
            status.terminal(request.id(), request.tenant(), guid, step, ProvisioningStatus.State.FAILED, reason);
            if (!undone.undone().isEmpty() || !undone.complete()) {
                status.terminal(request.id(), request.tenant(), guid, "rollback", ProvisioningStatus.State.ROLLED_BACK,
                        undone.describe());
            }
            String full = undone.complete() ? reason : reason + "; rollback incomplete: " + undone.describe();
            return new ProvisioningOutcome(refusal ? ProvisioningOutcome.Result.REFUSED : ProvisioningOutcome.Result.FAILED,
                    step, full, false);
        }

        private ProvisioningOutcome finish(ProvisioningOutcome held) {
            status.terminal(request.id(), request.tenant(), guid, held.step(),
                    held.succeeded() ? ProvisioningStatus.State.SUCCEEDED : ProvisioningStatus.State.FAILED, held.reason());
            return held;
        }
    }
}
