{{- define "sweeplab.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{- define "sweeplab.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "sweeplab.secret" -}}
{{- required "secrets.existingSecret: name the Secret holding database-url (README.md, Running on a cluster)" .Values.secrets.existingSecret -}}
{{- end -}}

{{/* The image of a pool: (list $ $pool) */}}
{{- define "sweeplab.image" -}}
{{- $ := index . 0 -}}{{- $pool := index . 1 -}}
{{- printf "%s:%s" $pool.image.repository (default $.Chart.AppVersion $pool.image.tag) -}}
{{- end -}}

{{/* What every sweeplab container needs: the connection settings and the secrets, as the CLI reads them. */}}
{{- define "sweeplab.env" -}}
- name: TEMPORAL_ADDRESS
  valueFrom: { configMapKeyRef: { name: {{ include "sweeplab.fullname" . }}, key: TEMPORAL_ADDRESS } }
- name: TEMPORAL_NAMESPACE
  valueFrom: { configMapKeyRef: { name: {{ include "sweeplab.fullname" . }}, key: TEMPORAL_NAMESPACE } }
{{- with .Values.temporal.uiUrl }}
- name: TEMPORAL_UI_URL
  value: {{ . | quote }}
{{- end }}
- name: DATABASE_URL
  valueFrom: { secretKeyRef: { name: {{ include "sweeplab.secret" . }}, key: database-url } }
{{- if .Values.temporal.apiKey }}
- name: TEMPORAL_API_KEY
  valueFrom: { secretKeyRef: { name: {{ include "sweeplab.secret" . }}, key: temporal-api-key } }
{{- end }}
{{- if or .Values.temporal.tls.enabled .Values.temporal.tls.mtls }}
- name: TEMPORAL_TLS
  value: "true"
{{- end }}
{{- if .Values.temporal.tls.mtls }}
- name: TEMPORAL_TLS_CERT
  value: /etc/sweeplab/secrets/temporal-tls.crt
- name: TEMPORAL_TLS_KEY
  value: /etc/sweeplab/secrets/temporal-tls.key
{{- end }}
{{- if .Values.temporal.tls.ca }}
- name: TEMPORAL_TLS_CA
  value: /etc/sweeplab/secrets/temporal-ca.crt
{{- end }}
{{- with .Values.temporal.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "sweeplab.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- define "sweeplab.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities: { drop: [ALL] }
{{- end -}}

{{/* /tmp (the only place a worker writes: tsx's cache, trial scratch) and the Secret's files (TLS material). */}}
{{- define "sweeplab.volumes" -}}
- name: tmp
  emptyDir: {}
- name: secrets
  secret:
    secretName: {{ include "sweeplab.secret" . }}
    defaultMode: 0400
{{- end -}}

{{- define "sweeplab.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: secrets
  mountPath: /etc/sweeplab/secrets
  readOnly: true
{{- end -}}
