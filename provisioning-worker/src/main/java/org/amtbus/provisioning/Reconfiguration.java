package org.amtbus.provisioning;

import java.util.Optional;
import java.util.function.BiFunction;
import org.amtbus.platform.audit.AuditLog;
import org.amtbus.platform.device.DeviceRegistry;
import org.amtbus.platform.device.DeviceSecrets;
import org.amtbus.platform.secret.Secret;
import org.amtbus.provisioning.profile.ControlMode;
import org.amtbus.provisioning.profile.Profile;
import org.amtbus.provisioning.profile.ProfileStore;
import org.amtbus.schemas.model.AuditEvent;
import org.amtbus.schemas.model.DeviceGuid;
import org.amtbus.schemas.model.ProvisioningRequest;
import org.amtbus.schemas.model.ProvisioningStatus;
import org.amtbus.wsman.activation.ActivationSteps;
import org.amtbus.wsman.activation.StepOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a profile to a device that is already managed (registered, activated, its admin password stored), over
 * WS-Man through the gateway holding its CIRA connection: user consent (ACM; CCM always requires consent) and the
 * wired network settings. Nothing is generated or registered; the device keeps its passwords, control mode and
 * CIRA configuration (re-pointing CIRA to another MPS is not done over CIRA: the channel carrying the request
 * would be the one being changed). Ends in one {@code profile.applied} audit event with {@code path=cira}.
 *
 * <p>Invariants: the device's run row is held (state {@code running}, steps named {@code reconfigure-*}, which a
 * recovery after a crash only releases, never unprovisions) for the whole run, and afterwards names the new
 * profile on success, the old one on failure; a profile of another control mode is refused unchanged.
 */
final class Reconfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(Reconfiguration.class);

    private final ProfileStore profiles;
    private final ProvisioningRuns runs;
    private final DeviceRegistry registry;
    private final DeviceSecrets secrets;
    private final StatusPublisher status;
    private final AuditLog audit;
    private final String workerId;
    private final BiFunction<DeviceGuid, Secret, ActivationSteps> steps;

    Reconfiguration(ProfileStore profiles, ProvisioningRuns runs, DeviceRegistry registry, DeviceSecrets secrets,
                    StatusPublisher status, AuditLog audit, String workerId,
                    BiFunction<DeviceGuid, Secret, ActivationSteps> steps) {
        this.profiles = profiles;
        this.runs = runs;
        this.registry = registry;
        this.secrets = secrets;
        this.status = status;
        this.audit = audit;
        this.workerId = workerId;
        this.steps = steps;
    }

    ProvisioningOutcome apply(ProvisioningRequest request, AuditEvent.Actor actor) {
        DeviceGuid guid = request.guid();
        status.progress(request.id(), request.tenant(), guid, "accepted", ProvisioningStatus.State.PENDING);
        LOG.info("event=provisioning.reconfigure-started guid={} tenant={} profile={} request={} path=cira", guid.value(),
                request.tenant().value(), request.profile(), request.id());
        ProvisioningOutcome outcome = run(request);
        status.terminal(request.id(), request.tenant(), guid, outcome.step(),
                outcome.succeeded() ? ProvisioningStatus.State.SUCCEEDED : ProvisioningStatus.State.FAILED, outcome.reason());
        audit.event("profile.applied").actor(actor).tenant(request.tenant()).target("device:" + guid.value())
                .outcome(outcome.succeeded() ? AuditEvent.Outcome.SUCCESS
                        : outcome.result() == ProvisioningOutcome.Result.REFUSED ? AuditEvent.Outcome.DENIED
                        : AuditEvent.Outcome.FAILURE)
                .reason(outcome.reason()).detail("profile", request.profile()).detail("step", outcome.step())
                .detail("requestId", request.id().toString()).detail("path", "cira").detail("reconfigured", "true").emit();
        LOG.info("event=provisioning.reconfigure-finished guid={} profile={} result={} step={} reason={}", guid.value(),
                request.profile(), outcome.result(), outcome.step(), outcome.reason());
        return outcome;
    }

    private ProvisioningOutcome run(ProvisioningRequest request) {
        DeviceGuid guid = request.guid();
        Optional<Profile> found = profiles.find(request.tenant(), request.profile());
        if (found.isEmpty()) {
            return refused("profile", "tenant " + request.tenant().value() + " has no profile " + request.profile());
        }
        Profile profile = found.get();
        if (registry.find(guid).filter(d -> d.tenant().equals(request.tenant())).isEmpty()) {
            return refused("register", "device " + guid.value() + " is not registered in tenant " + request.tenant().value());
        }
        Optional<Secret> admin = secrets.get(guid, DeviceSecrets.Kind.AMT_ADMIN_PASSWORD);
        if (admin.isEmpty()) {
            return new ProvisioningOutcome(ProvisioningOutcome.Result.FAILED, "reconfigure",
                    "no AMT admin password is stored for the device", false);
        }
        Optional<ProvisioningRuns.Run> before = runs.find(guid);
        Optional<ProvisioningRuns.Run> held = runs.claimProvisioned(new ProvisioningRuns.Run(guid, request.tenant(),
                profile.name(), ProvisioningRuns.State.RUNNING, request.id(), profile.controlMode()), workerId);
        if (held.isPresent()) {
            ProvisioningRuns.Run other = held.get();
            if (!other.tenant().equals(request.tenant())) {
                return refused("claim", "device " + guid.value() + " is provisioned in another tenant");
            }
            if (other.state() == ProvisioningRuns.State.RUNNING) {
                return refused("claim", "a provisioning request for this device is in progress (request "
                        + other.requestId() + ", profile " + other.profile() + ")");
            }
            return refused("claim", "device is in " + other.controlMode().wireName() + "; profile " + profile.name()
                    + " wants " + profile.controlMode().wireName() + ": deactivate it first");
        }
        String step = "reconfigure";
        boolean done = false;
        try {
            ActivationSteps amt = steps.apply(guid, admin.get());
            if (profile.controlMode() == ControlMode.ACM) {
                step = "reconfigure-consent";
                running(request, step);
                if (amt.configureUserConsent(profile.userConsent().optInRequired()) instanceof StepOutcome.Failed<Void> f) {
                    return failed(step, f.reason());
                }
            }
            step = "reconfigure-network";
            running(request, step);
            if (amt.configureWiredNetwork(profile.network().wired()) instanceof StepOutcome.Failed<Void> f) {
                return failed(step, f.reason());
            }
            done = true;
            return new ProvisioningOutcome(ProvisioningOutcome.Result.SUCCEEDED, "done",
                    "reconfigured over CIRA with profile " + profile.name(), false);
        } catch (RuntimeException e) {
            LOG.error("event=provisioning.reconfigure-error guid={} step={} error={}", guid.value(), step, e.toString());
            return failed(step, step + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } finally {
            if (done) {
                runs.endReconfiguration(guid, profile.name());
            } else if (before.isPresent()) {
                runs.endReconfiguration(guid, before.get().profile());
            } else {
                runs.release(guid);
            }
        }
    }

    private void running(ProvisioningRequest request, String step) {
        runs.step(request.guid(), step);
        status.progress(request.id(), request.tenant(), request.guid(), step, ProvisioningStatus.State.RUNNING);
    }

    private static ProvisioningOutcome refused(String step, String reason) {
        return new ProvisioningOutcome(ProvisioningOutcome.Result.REFUSED, step, reason, false);
    }

    private static ProvisioningOutcome failed(String step, String reason) {
        return new ProvisioningOutcome(ProvisioningOutcome.Result.FAILED, step, reason
                + "; the device keeps its earlier settings for the steps not reached", false);
    }
}
