// etcd compacted and the API server restarted: the watch's history lost, so a re-list and a gap.
import type { Kube } from "../kube/client.js";
import { apiServerRestarted } from "./api-server-restart.js";
import type { Fault } from "./undo.js";

// etcd's JSON gateway, with the client certificate kubeadm gave the API server.
const etcd =
  "curl -sS --fail --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/apiserver-etcd-client.crt " +
  "--key /etc/kubernetes/pki/apiserver-etcd-client.key -X POST";

/**
 * Every watch in the cluster loses its history, as after a control-plane upgrade with compaction:
 * etcd is compacted to its current revision, then the API server restarted. Resuming a watch from
 * an earlier resourceVersion then fails with 410 Gone, so clients must list again, and whatever
 * happened in between is a gap. kind clusters only.
 */
export function watchHistoryLost(kube: Kube, cluster: string): Fault {
  return apiServerRestarted(kube, cluster, {
    what: "compact etcd and restart the API server (watch history lost)",
    before: async (node) => {
      await node.sh(
        `rev=$(${etcd} https://127.0.0.1:2379/v3/kv/range -d '{"key":"AA=="}' | sed 's/.*"revision":"\\([0-9]*\\)".*/\\1/') && ` +
          `${etcd} https://127.0.0.1:2379/v3/kv/compaction -d "{\\"revision\\":\\"$rev\\",\\"physical\\":true}" >/dev/null`,
      );
    },
  });
}
