// helmrender renders a Helm chart the way `helm template` does, for machines without helm.
// It uses Go's text/template with sprig (the engine Helm itself uses), from Debian packages.
//
//	helmrender [--release-name NAME] [--namespace NS] [-f values.yaml]... \
//	           [--api-versions GROUP/VERSION]... [--kube-version v1.30.0] [--notes FILE] \
//	           [--values-out FILE] CHART_DIR
//
// Output: every rendered manifest as "---\n# Source: <chart>/templates/<file>\n<doc>\n", in
// Helm's install order. See README.md for what is and is not implemented.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"sigs.k8s.io/yaml"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("helmrender", flag.ContinueOnError)
	release := fs.String("release-name", "release-name", "release name (.Release.Name)")
	namespace := fs.String("namespace", "default", "namespace (.Release.Namespace)")
	kube := fs.String("kube-version", "v1.30.0", "Kubernetes version for .Capabilities.KubeVersion")
	notesOut := fs.String("notes", "", "also render templates/NOTES.txt into this file")
	valuesOut := fs.String("values-out", "", "also write the merged values (what .Values sees) as JSON into this file")
	var values, apis multi
	fs.Var(&values, "f", "values file (repeatable; later files win)")
	fs.Var(&values, "values", "same as -f")
	fs.Var(&apis, "api-versions", "extra API version for .Capabilities.APIVersions (repeatable)")
	fs.Var(&apis, "a", "same as --api-versions")
	// Helm accepts flags after the chart; so do we.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(positional) != 1 {
		return fmt.Errorf("usage: helmrender [flags] CHART_DIR (got %d positional arguments)", len(positional))
	}
	c, err := loadChart(positional[0])
	if err != nil {
		return err
	}
	kv, err := semver.NewVersion(*kube)
	if err != nil {
		return fmt.Errorf("--kube-version %q: %w", *kube, err)
	}
	if c.Meta.KubeVersion != "" {
		con, err := semver.NewConstraint(c.Meta.KubeVersion)
		if err != nil {
			return fmt.Errorf("Chart.yaml: kubeVersion %q: %w", c.Meta.KubeVersion, err)
		}
		if !con.Check(kv) {
			return fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", c.Meta.KubeVersion, *kube)
		}
	}
	user := map[string]interface{}{}
	for _, f := range values {
		m, err := readValuesFile(f)
		if err != nil {
			return err
		}
		user = mergeMaps(user, m)
	}
	vals := coalesce(user, c.Values)
	if *valuesOut != "" {
		data, err := json.MarshalIndent(vals, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*valuesOut, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	top := map[string]interface{}{
		"Values": vals,
		"Release": map[string]interface{}{
			"Name": *release, "Namespace": *namespace, "IsInstall": true, "IsUpgrade": false,
			"Revision": 1, "Service": "Helm",
		},
		"Chart": c.Meta,
		"Capabilities": &Capabilities{
			KubeVersion: KubeVersion{
				Version: "v" + kv.String(), GitVersion: "v" + kv.String(),
				Major: fmt.Sprint(kv.Major()), Minor: fmt.Sprint(kv.Minor()),
			},
			APIVersions: append(append(VersionSet{}, defaultAPIVersions...), apis...),
			HelmVersion: map[string]string{"Version": "helmrender"},
		},
		"Files": c.Files,
	}
	rendered, notes, err := render(c, top)
	if err != nil {
		return err
	}
	manifests, err := sortManifests(rendered)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, m := range manifests {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.name, m.content)
	}
	if *notesOut != "" {
		if err := os.WriteFile(*notesOut, []byte(notes), 0o644); err != nil {
			return err
		}
	}
	_, err = os.Stdout.WriteString(b.String())
	return err
}

type manifest struct {
	name, content, kind string
}

// installOrder is Helm's releaseutil.InstallOrder.
var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
	"PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
	"ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
	"CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
	"ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
	"DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
	"HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
	"APIService",
}

var docSep = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

// sortManifests splits each template's output into documents (Helm's SplitManifests), parses
// each as YAML, and orders them by kind as Helm installs them (stable within a kind, files
// in name order).
func sortManifests(rendered map[string]string) ([]manifest, error) {
	var out []manifest
	for _, name := range sortedKeys(rendered) {
		for _, d := range docSep.Split(strings.TrimSpace(rendered[name]), -1) {
			if d == "" {
				continue
			}
			d = strings.TrimSpace(d)
			var head struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Annotations map[string]string `json:"annotations"`
				} `json:"metadata"`
			}
			if err := yaml.Unmarshal([]byte(d), &head); err != nil {
				return nil, fmt.Errorf("YAML parse error on %s: %w", name, err)
			}
			if _, ok := head.Metadata.Annotations["helm.sh/hook"]; ok {
				return nil, fmt.Errorf("%s: hooks are not supported by helmrender", name)
			}
			out = append(out, manifest{name: name, content: d, kind: head.Kind})
		}
	}
	order := map[string]int{}
	for i, k := range installOrder {
		order[k] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, aok := order[out[i].kind]
		b, bok := order[out[j].kind]
		switch {
		case !aok && !bok:
			return out[i].kind < out[j].kind
		case !aok:
			return false
		case !bok:
			return true
		}
		return a < b
	})
	return out, nil
}
