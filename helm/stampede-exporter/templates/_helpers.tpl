{{/*
Names, labels and the exporter container. The container templates only read .Values,
.Release.Name and .Chart (Name, Version, AppVersion), so a parent chart can call them with
  (dict "Values" (index .Values "stampede-exporter") "Release" .Release "Chart" (dict "Name" "stampede-exporter" "Version" "0.1.0" "AppVersion" "0.1.0"))
*/}}

{{- define "stampede-exporter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stampede-exporter.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "stampede-exporter.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{- define "stampede-exporter.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "stampede-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stampede-exporter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "stampede-exporter.labels" -}}
helm.sh/chart: {{ include "stampede-exporter.chart" . }}
{{ include "stampede-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: exporter
app.kubernetes.io/managed-by: {{ .Release.Service | default "Helm" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "stampede-exporter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "stampede-exporter.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "stampede-exporter.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* Objects the chart creates; "" when an existing one is used or none is needed. */}}
{{- define "stampede-exporter.configMapName" -}}
{{- .Values.existingConfigMap | default (printf "%s-config" (include "stampede-exporter.fullname" .)) }}
{{- end }}

{{- define "stampede-exporter.redisSecretName" -}}
{{- if .Values.redis.existingSecret }}
{{- .Values.redis.existingSecret }}
{{- else if .Values.redis.password }}
{{- printf "%s-redis" (include "stampede-exporter.fullname" .) }}
{{- end }}
{{- end }}

{{- define "stampede-exporter.ingestSecretName" -}}
{{- if .Values.ingest.enabled }}
{{- if .Values.ingest.existingSecret }}
{{- .Values.ingest.existingSecret }}
{{- else if .Values.ingest.token }}
{{- printf "%s-ingest" (include "stampede-exporter.fullname" .) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Listen host of the application-facing listeners: the pod in sidecar mode, else all. */}}
{{- define "stampede-exporter.appListenHost" -}}
{{- if eq .Values.mode "sidecar" }}127.0.0.1{{ else }}0.0.0.0{{ end }}
{{- end }}

{{- define "stampede-exporter.args" -}}
- --redis.addr={{ required "redis.addr is required" .Values.redis.addr }}
{{- with .Values.redis.user }}
- --redis.user={{ . }}
{{- end }}
- --web.listen-address=:{{ .Values.web.port }}
- --web.telemetry-path={{ .Values.web.telemetryPath }}
- --log.level={{ .Values.log.level }}
- --log.format={{ .Values.log.format }}
- --config.file=/etc/stampede-exporter/config/stampede.yml
{{- if .Values.statsd.enabled }}
- --statsd.listen-udp={{ include "stampede-exporter.appListenHost" . }}:{{ .Values.statsd.port }}
{{- else }}
- --statsd.listen-udp=
{{- end }}
{{- if .Values.ingest.enabled }}
- --ingest.listen-address={{ include "stampede-exporter.appListenHost" . }}:{{ .Values.ingest.port }}
{{- if include "stampede-exporter.ingestSecretName" . }}
- --ingest.token-file=/etc/stampede-exporter/ingest/token
{{- end }}
{{- else }}
- --ingest.listen-address=
{{- end }}
{{- range $k, $v := .Values.extraArgs }}
- --{{ $k }}={{ $v }}
{{- end }}
{{- end }}

{{/*
The exporter container. Used by the Deployment (mode: deployment) and by your own pod spec
in sidecar mode:
  containers:
    - name: app
      ...
    {{- include "stampede-exporter.sidecarContainer" . | nindent 4 }}
  volumes:
    {{- include "stampede-exporter.sidecarVolumes" . | nindent 4 }}
*/}}
{{- define "stampede-exporter.sidecarContainer" -}}
- name: stampede-exporter
  image: {{ include "stampede-exporter.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args:
    {{- include "stampede-exporter.args" . | nindent 4 }}
  {{- if or (include "stampede-exporter.redisSecretName" .) .Values.env }}
  env:
    {{- with include "stampede-exporter.redisSecretName" . }}
    - name: STAMPEDE_REDIS_PASSWORD
      valueFrom:
        secretKeyRef:
          name: {{ . }}
          key: {{ $.Values.redis.existingSecretPasswordKey }}
    {{- end }}
    {{- with .Values.env }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
  ports:
    - name: stampede-http
      containerPort: {{ .Values.web.port }}
      protocol: TCP
    {{- if .Values.statsd.enabled }}
    - name: stampede-statsd
      containerPort: {{ .Values.statsd.port }}
      protocol: UDP
    {{- end }}
    {{- if .Values.ingest.enabled }}
    - name: stampede-ingest
      containerPort: {{ .Values.ingest.port }}
      protocol: TCP
    {{- end }}
  {{- with .Values.livenessProbe }}
  livenessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.readinessProbe }}
  readinessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.securityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    - name: stampede-exporter-config
      mountPath: /etc/stampede-exporter/config
      readOnly: true
    {{- if include "stampede-exporter.ingestSecretName" . }}
    - name: stampede-exporter-ingest
      mountPath: /etc/stampede-exporter/ingest
      readOnly: true
    {{- end }}
{{- end }}

{{- define "stampede-exporter.sidecarVolumes" -}}
- name: stampede-exporter-config
  configMap:
    name: {{ include "stampede-exporter.configMapName" . }}
{{- with include "stampede-exporter.ingestSecretName" . }}
- name: stampede-exporter-ingest
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $.Values.ingest.existingSecretTokenKey }}
        path: token
{{- end }}
{{- end }}

{{/* Checksums of what the chart renders into the pod, to roll it when they change. */}}
{{- define "stampede-exporter.checksums" -}}
{{- if not .Values.existingConfigMap }}
checksum/config: {{ toYaml .Values.config | sha256sum }}
{{- end }}
{{- end }}
