package main

import (
	"encoding/base64"
	"path"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// Files is .Files: the chart's non-template files by path relative to the chart root.
type Files map[string][]byte

// Get returns a file's content, or "" when there is no such file (as Helm does).
func (f Files) Get(name string) string { return string(f[name]) }

// GetBytes returns a file's content as bytes.
func (f Files) GetBytes(name string) []byte { return f[name] }

// Glob returns the files whose path matches pattern. Patterns use path.Match syntax
// (* ? [..]); Helm's "**" is not supported.
func (f Files) Glob(pattern string) Files {
	out := Files{}
	for name, data := range f {
		if ok, _ := path.Match(pattern, name); ok {
			out[name] = data
		}
	}
	return out
}

func (f Files) names() []string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// AsConfig renders the files as a ConfigMap data map (base name -> content), as YAML.
func (f Files) AsConfig() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for _, k := range f.names() {
		m[path.Base(k)] = string(f[k])
	}
	return toYAML(m)
}

// AsSecrets renders the files as a Secret data map (base name -> base64 content), as YAML.
func (f Files) AsSecrets() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for _, k := range f.names() {
		m[path.Base(k)] = base64.StdEncoding.EncodeToString(f[k])
	}
	return toYAML(m)
}

// Lines returns a file's lines.
func (f Files) Lines(name string) []string {
	s := string(f[name])
	if s == "" {
		return []string{}
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}
