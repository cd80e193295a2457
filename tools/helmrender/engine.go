package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

const recursionMax = 1000

// KubeVersion is .Capabilities.KubeVersion.
type KubeVersion struct {
	Version    string
	Major      string
	Minor      string
	GitVersion string
}

func (k KubeVersion) String() string { return k.Version }

// VersionSet is .Capabilities.APIVersions.
type VersionSet []string

// Has reports whether the API version (e.g. "monitoring.coreos.com/v1" or
// "apps/v1/Deployment") is available.
func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

// Capabilities is .Capabilities.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
	HelmVersion map[string]string
}

// defaultAPIVersions: the built-in group versions of a 1.30 API server (a subset of Helm's
// DefaultVersionSet, with kind-qualified forms for the kinds charts usually test).
var defaultAPIVersions = []string{
	"v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v1", "autoscaling/v2",
	"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
	"apiextensions.k8s.io/v1", "admissionregistration.k8s.io/v1", "coordination.k8s.io/v1",
	"discovery.k8s.io/v1", "events.k8s.io/v1", "scheduling.k8s.io/v1", "node.k8s.io/v1",
	"certificates.k8s.io/v1", "apiregistration.k8s.io/v1",
	"v1/ConfigMap", "v1/Secret", "v1/Service", "v1/ServiceAccount", "v1/Pod",
	"apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "batch/v1/Job",
	"batch/v1/CronJob", "policy/v1/PodDisruptionBudget", "networking.k8s.io/v1/NetworkPolicy",
	"networking.k8s.io/v1/Ingress", "autoscaling/v2/HorizontalPodAutoscaler",
}

type renderer struct {
	t        *template.Template
	included map[string]int
}

func (r *renderer) funcMap() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromYamlArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := yaml.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromJsonArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	f["toToml"] = func(interface{}) (string, error) {
		return "", errors.New("toToml is not supported by helmrender")
	}
	f["include"] = func(name string, data interface{}) (string, error) {
		if r.included[name] > recursionMax {
			return "", fmt.Errorf("rendering template has a nested reference name: %s: unable to execute template", name)
		}
		r.included[name]++
		defer func() { r.included[name]-- }()
		var b strings.Builder
		err := r.t.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	f["tpl"] = func(text string, vals interface{}) (string, error) {
		t, err := r.t.Clone()
		if err != nil {
			return "", err
		}
		name := "tpl"
		if m, ok := vals.(map[string]interface{}); ok {
			if tm, ok := m["Template"].(map[string]interface{}); ok {
				if n, ok := tm["Name"].(string); ok {
					name = n
				}
			}
		}
		t.Option("missingkey=zero")
		if _, err := t.New(name).Parse(text); err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, name, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(b.String(), "<no value>", ""), nil
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return v, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return v, errors.New(msg)
		}
		return v, nil
	}
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil // what `helm template` returns: no cluster
	}
	return f
}

var execErrRe = regexp.MustCompile(`^template: (.*?): executing ".*?" at <.*?>: (?:error calling \w+: )?(.*)$`)

// cleanupExecError shortens Go's template errors as Helm does, so that
// `required`/`fail` print "execution error at (chart/templates/x.yaml:3:4): message".
func cleanupExecError(name string, err error) error {
	s := err.Error()
	// innermost "template: ..." segment names the real location
	if i := strings.LastIndex(s, "template: "); i > 0 {
		s = s[i:]
	}
	if m := execErrRe.FindStringSubmatch(s); m != nil {
		return fmt.Errorf("execution error at (%s): %s", m[1], m[2])
	}
	return fmt.Errorf("rendering %s: %s", name, err.Error())
}

// sortTemplates orders template names as Helm does: deepest paths first, then by name.
func sortTemplates(tpls map[string]string) []string {
	keys := sortedKeys(tpls)
	sort.SliceStable(keys, func(i, j int) bool {
		di, dj := strings.Count(keys[i], "/"), strings.Count(keys[j], "/")
		if di != dj {
			return di > dj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// render executes every template; the result maps template name -> output. Partials (_*) are
// parsed but not rendered; NOTES.txt is rendered only into notes.
func render(c *Chart, top map[string]interface{}) (map[string]string, string, error) {
	r := &renderer{included: map[string]int{}}
	r.t = template.New("gotpl").Option("missingkey=zero").Funcs(r.funcMap())
	keys := sortTemplates(c.Templates)
	for _, name := range keys {
		if _, err := r.t.New(name).Parse(c.Templates[name]); err != nil {
			return nil, "", fmt.Errorf("parse error in %s: %w", name, err)
		}
	}
	out := map[string]string{}
	notes := ""
	base := c.Meta.Name + "/templates"
	for _, name := range keys {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		vals := map[string]interface{}{}
		for k, v := range top {
			vals[k] = v
		}
		vals["Template"] = map[string]interface{}{"Name": name, "BasePath": base}
		var b strings.Builder
		if err := r.t.ExecuteTemplate(&b, name, vals); err != nil {
			return nil, "", cleanupExecError(name, err)
		}
		s := strings.ReplaceAll(b.String(), "<no value>", "")
		if name == base+"/NOTES.txt" {
			notes = s
			continue
		}
		out[name] = s
	}
	return out, notes, nil
}
