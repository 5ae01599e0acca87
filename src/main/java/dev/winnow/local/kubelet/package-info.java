/**
 * The local Job controller and kubelet: {@link dev.winnow.local.kubelet.LocalExecutor} watches batch/v1 Jobs and
 * runs their pods as local processes of Winnow's worker, writing Pod and Job status as a cluster would. It
 * works on any {@code KubernetesClient} and imports nothing else of Winnow's, not even the embedded API.
 */
package dev.winnow.local.kubelet;
