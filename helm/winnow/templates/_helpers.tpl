{{- define "winnow.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "winnow.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "winnow.labels" -}}
app.kubernetes.io/name: {{ include "winnow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "winnow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "winnow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "winnow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "winnow.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "winnow.leaseName" -}}
{{- default (include "winnow.fullname" .) .Values.leaderElection.leaseName -}}
{{- end -}}

{{/* What the operator may do: its own resources, the step Jobs, reading step pods, Events (its own, and the Job controller's FailedCreate). No Secrets: steps get credentials from the Job spec. */}}
{{- define "winnow.rules" -}}
- apiGroups: ["winnow.dev"]
  resources: ["datasets", "trainingruns", "selectionrounds", "activelearningloops"]
  verbs: ["get", "list", "watch", "create"]
- apiGroups: ["winnow.dev"]
  resources: ["datasets/status", "trainingruns/status", "selectionrounds/status", "activelearningloops/status"]
  verbs: ["get", "patch", "update"]
# owner references with blockOwnerDeletion need this where OwnerReferencesPermissionEnforcement is on (OpenShift)
- apiGroups: ["winnow.dev"]
  resources: ["datasets/finalizers", "trainingruns/finalizers", "selectionrounds/finalizers", "activelearningloops/finalizers"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
# create: the operator's own Events; list/watch: the Job controller's FailedCreate Events on step Jobs
# (the operator asks only for those, with a field selector), so refused pods become a condition
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch", "get", "list", "watch"]
{{- if .Values.trainingEngines.pytorchJob }}
# trainer.engine PyTorchJob: the Kubeflow training operator's resource, created and read as a train step
- apiGroups: ["kubeflow.org"]
  resources: ["pytorchjobs"]
  verbs: ["get", "list", "create"]
{{- end }}
{{- if .Values.trainingEngines.trainJob }}
# trainer.engine TrainJob: Kubeflow Trainer's resource, created and read as a train step
- apiGroups: ["trainer.kubeflow.org"]
  resources: ["trainjobs"]
  verbs: ["get", "list", "create"]
{{- end }}
{{- if .Values.kueue.workloads }}
# Kueue's Workloads, read so a step waiting for admission says what it waits for
- apiGroups: ["kueue.x-k8s.io"]
  resources: ["workloads"]
  verbs: ["get", "list"]
{{- end }}
{{- end -}}
