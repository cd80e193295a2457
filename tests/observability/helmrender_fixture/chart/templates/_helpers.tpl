{{- define "fx.name" -}}
{{ .Chart.Name }}-{{ .Release.Name }}
{{- end }}
{{- define "fx.rec" -}}
{{- if gt . 0 }}{{ include "fx.rec" (sub . 1) }}{{ . }}{{ end }}
{{- end }}
