package dev.winnow.operator.job;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rules of the Pod Security Standards' "restricted" level (Kubernetes 1.28, which includes
 * "baseline"), as the API server's admission applies them to a pod spec. The mock API server
 * enforces none of them, so tests check built pods with this.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
final class RestrictedProfile {
    static final Set<String> VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");
    static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t");
    static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

    private RestrictedProfile() {
    }

    /** Every rule the pod breaks, one line each, naming the container; empty when it is admitted. */
    static List<String> violations(PodSpec pod) {
        List<String> out = new ArrayList<>();
        PodSecurityContext psc = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
        if (isTrue(pod.getHostNetwork()) || isTrue(pod.getHostPID()) || isTrue(pod.getHostIPC())) {
            out.add("host namespaces");
        }
        for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            if (volumeType(v) == null || !VOLUME_TYPES.contains(volumeType(v))) {
                out.add("volume " + v.getName() + " of type " + volumeType(v));
            }
        }
        if (psc.getWindowsOptions() != null && isTrue(psc.getWindowsOptions().getHostProcess())) {
            out.add("pod: hostProcess");
        }
        if (psc.getSeLinuxOptions() != null && badSeLinux(psc.getSeLinuxOptions())) {
            out.add("pod: seLinuxOptions");
        }
        if (psc.getSysctls() != null && psc.getSysctls().stream().anyMatch(s -> !SAFE_SYSCTLS.contains(s.getName()))) {
            out.add("pod: unsafe sysctls");
        }
        if (Long.valueOf(0).equals(psc.getRunAsUser())) {
            out.add("pod: runAsUser 0");
        }
        if (isUnconfined(psc.getSeccompProfile())) {
            out.add("pod: seccompProfile Unconfined");
        }
        boolean podNonRoot = isTrue(psc.getRunAsNonRoot());
        boolean podSeccomp = isConfined(psc.getSeccompProfile());
        for (Container c : containers(pod)) {
            String who = "container " + c.getName() + ": ";
            SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
            if (isTrue(sc.getPrivileged())) {
                out.add(who + "privileged");
            }
            if (sc.getWindowsOptions() != null && isTrue(sc.getWindowsOptions().getHostProcess())) {
                out.add(who + "hostProcess");
            }
            if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
                out.add(who + "procMount");
            }
            if (sc.getSeLinuxOptions() != null && badSeLinux(sc.getSeLinuxOptions())) {
                out.add(who + "seLinuxOptions");
            }
            if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
                out.add(who + "hostPort");
            }
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                out.add(who + "allowPrivilegeEscalation != false");
            }
            Capabilities caps = sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                out.add(who + "capabilities do not drop ALL");
            }
            if (caps != null && caps.getAdd() != null && caps.getAdd().stream().anyMatch(a -> !"NET_BIND_SERVICE".equals(a))) {
                out.add(who + "capabilities added " + caps.getAdd());
            }
            if (Boolean.FALSE.equals(sc.getRunAsNonRoot()) || (!podNonRoot && !isTrue(sc.getRunAsNonRoot()))) {
                out.add(who + "runAsNonRoot != true");
            }
            if (Long.valueOf(0).equals(sc.getRunAsUser())) {
                out.add(who + "runAsUser 0");
            }
            if (isUnconfined(sc.getSeccompProfile()) || (!podSeccomp && !isConfined(sc.getSeccompProfile()))) {
                out.add(who + "seccompProfile not RuntimeDefault or Localhost");
            }
        }
        return out;
    }

    private static List<Container> containers(PodSpec pod) {
        return Stream.concat(pod.getInitContainers() == null ? Stream.of() : pod.getInitContainers().stream(),
                pod.getContainers().stream()).toList();
    }

    private static String volumeType(Volume v) {
        if (v.getConfigMap() != null) return "configMap";
        if (v.getCsi() != null) return "csi";
        if (v.getDownwardAPI() != null) return "downwardAPI";
        if (v.getEmptyDir() != null) return "emptyDir";
        if (v.getEphemeral() != null) return "ephemeral";
        if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (v.getProjected() != null) return "projected";
        if (v.getSecret() != null) return "secret";
        if (v.getHostPath() != null) return "hostPath";
        return null;
    }

    private static boolean badSeLinux(io.fabric8.kubernetes.api.model.SELinuxOptions o) {
        return !SELINUX_TYPES.contains(o.getType() == null ? "" : o.getType()) || o.getUser() != null || o.getRole() != null;
    }

    private static boolean isConfined(SeccompProfile p) {
        return p != null && ("RuntimeDefault".equals(p.getType()) || "Localhost".equals(p.getType()));
    }

    private static boolean isUnconfined(SeccompProfile p) {
        return p != null && "Unconfined".equals(p.getType());
    }

    private static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }
}
