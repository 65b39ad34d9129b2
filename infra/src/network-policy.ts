import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import {
  containersOf,
  matchesSelector,
  networkPoliciesIn,
  podLabelsOf,
  type KubeObject,
  type Labels,
  type PodOwner,
} from './kube';

/** Namespaces carry their name as this label (Kubernetes sets it). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where the suite's objects live: the manifests name no namespace, so any one will do. */
export const SUITE_NAMESPACE = 'taskforge';

/** A pod that opens a connection: the labels of its namespace and its own. */
export interface Client {
  namespace: Labels;
  pod: Labels;
}

export function clientIn(namespace: string, pod: Labels): Client {
  return { namespace: { [NAMESPACE_NAME_LABEL]: namespace }, pod };
}

export function suiteClient(owner: PodOwner): Client {
  return clientIn(SUITE_NAMESPACE, podLabelsOf(owner));
}

function isolatesIngress(policy: INetworkPolicy): boolean {
  // Without policyTypes, a policy always covers ingress.
  return policy.spec?.policyTypes?.includes('Ingress') ?? true;
}

function peerAdmits(peer: INetworkPolicyPeer, client: Client): boolean {
  // IP blocks are for traffic from outside the cluster, never for pods.
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const namespace = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, client.namespace)
    : client.namespace[NAMESPACE_NAME_LABEL] === SUITE_NAMESPACE;
  return namespace && (!peer.podSelector || matchesSelector(peer.podSelector, client.pod));
}

function portAdmits(rule: INetworkPolicyPort, port: IContainerPort): boolean {
  if ((rule.protocol ?? 'TCP') !== (port.protocol ?? 'TCP')) return false;
  if (rule.port === undefined) return true;
  if (typeof rule.port === 'string') return rule.port === port.name;
  return port.containerPort >= rule.port && port.containerPort <= (rule.endPort ?? rule.port);
}

/**
 * The container ports of `target`'s pods that `client` may connect to, as the API defines
 * NetworkPolicy ingress: a pod no policy selects takes every connection; once one does, only
 * what one of those policies' rules admits (every `from` peer and port if the rule lists none).
 */
export function portsOpenTo(objects: KubeObject[], client: Client, target: PodOwner): number[] {
  const labels = podLabelsOf(target);
  const policies = networkPoliciesIn(objects).filter(
    (policy) => isolatesIngress(policy) && matchesSelector(policy.spec?.podSelector ?? {}, labels),
  );
  const ports = containersOf(target).flatMap((container) => container.ports ?? []);
  return ports
    .filter(
      (port) =>
        policies.length === 0 ||
        policies.some((policy) =>
          (policy.spec?.ingress ?? []).some(
            (rule) =>
              (!rule.from?.length || rule.from.some((peer) => peerAdmits(peer, client))) &&
              (!rule.ports?.length || rule.ports.some((p) => portAdmits(p, port))),
          ),
        ),
    )
    .map((port) => port.containerPort)
    .sort((a, b) => a - b);
}
