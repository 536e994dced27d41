{{/* Name prefix for every object of the release. */}}
{{- define "kubepd.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kubepd.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kubepd.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kubepd.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .repository (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}

{{- define "kubepd.operatorServiceAccount" -}}{{ include "kubepd.fullname" . }}-operator{{- end -}}
{{- define "kubepd.agentServiceAccount" -}}{{ include "kubepd.fullname" . }}-agent{{- end -}}

{{/* Invalid combinations of values fail the render with the value to change. */}}
{{- define "kubepd.validate" -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection.enabled) -}}
{{- fail "operator.replicas > 1 needs operator.leaderElection.enabled=true: two active operators would fight over every PrefixLease status" -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.service) -}}
{{- fail "metrics.serviceMonitor.enabled=true needs metrics.service=true: the ServiceMonitor scrapes that Service" -}}
{{- end -}}
{{- if eq (int .Values.agent.healthPort) (int .Values.agent.metricsPort) -}}
{{- fail "agent.healthPort and agent.metricsPort must differ: both listen in the node's network namespace" -}}
{{- end -}}
{{- with .Values.agent.cni -}}
{{- if and .enabled (eq (dir (clean .rangesFile)) "/etc/cni/net.d") (not .conflistTemplate) -}}
{{- fail (printf "agent.cni.rangesFile %s is in the container runtime's CNI config directory, which loads every .conf, .conflist and .json there as a network config, and a ranges fragment is not one; put it elsewhere (default /var/lib/kubepd/cni/ranges.json), or set agent.cni.conflistTemplate to have the agent write a whole network config there" .rangesFile) -}}
{{- end -}}
{{- if and .conflistTemplate (not .enabled) -}}
{{- fail "agent.cni.conflistTemplate is set but agent.cni.enabled=false: set agent.cni.enabled=true for the agent to write it" -}}
{{- end -}}
{{- if and .enabled (hasKey .conflistTemplate "plugins") (not (hasSuffix ".conflist" .rangesFile)) -}}
{{- fail (printf "agent.cni.rangesFile %s must end in .conflist: agent.cni.conflistTemplate has \"plugins\", and the runtime reads other extensions as a single plugin's config" .rangesFile) -}}
{{- end -}}
{{- end -}}
{{- if .Values.policy.create -}}
{{- range .Values.policy.uplinks -}}
{{- if and .prefixLengthHint (gt (int .prefixLengthHint) (int $.Values.policy.podPrefixLength)) -}}
{{- fail (printf "policy.podPrefixLength (%d) is shorter than the prefixLengthHint %d of uplink %s: a pod CIDR cannot be larger than the delegated prefix; raise policy.podPrefixLength" (int $.Values.policy.podPrefixLength) (int .prefixLengthHint) .interface) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
