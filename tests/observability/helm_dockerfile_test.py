#!/usr/bin/env python3
"""Static checks of the Dockerfile (there is no Docker engine to build it here).

usage: helm_dockerfile_test.py REPO_ROOT [STAMPEDE_EXPORTER]

- runtime stage: debian bookworm-slim, USER non-root and the uid/gid the chart runs as,
  ENTRYPOINT = the path the binary is copied to, copied from where the build stage's CMake
  puts it (-B DIR + bin/), EXPOSE has the chart's HTTP port;
- image: values.yaml's image.repository is stampede-exporter/stampede-exporter, its tag
  defaults to Chart.appVersion, which equals CMake's project VERSION and the image's
  org.opencontainers.image.version label;
- every apt package of both stages exists in Debian (`apt-cache show`);
- the build stage's context suffices: the paths it COPYs, configured with its cmake flags,
  define the stampede_exporter target;
- with STAMPEDE_EXPORTER: every shared library the binary needs comes from a runtime-stage
  package (or the base image's libc6/libstdc++6/libgcc-s1), or is one of the build's OpenSSL
  shims, which the runtime stage copies beside it.
"""
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_PACKAGES = {"libc6", "libstdc++6", "libgcc-s1"}
failures = []


def fail(msg):
    failures.append(msg)
    print(f"helm.dockerfile: {msg}", file=sys.stderr)


def stages(text):
    """[(from_line, [(instruction, args)])] with continuation lines joined."""
    text = re.sub(r"\\\n", " ", text)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instr, _, args = line.partition(" ")
        instr = instr.upper()
        if instr == "FROM":
            out.append((args.strip(), []))
        elif out:
            out[-1][1].append((instr, args.strip()))
    return out


def apt_packages(run_args):
    m = re.search(r"apt-get install (.*?)(?:&&|$)", run_args)
    if not m:
        return []
    return [w for w in m.group(1).split() if not w.startswith("-")]


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(sys.argv[1])
    exporter = sys.argv[2] if len(sys.argv) == 3 else None
    text = (root / "Dockerfile").read_text()
    args = dict(re.findall(r"^ARG (\w+)=(\S+)", text, re.M))
    st = stages(text)
    if len(st) < 2:
        fail("Dockerfile: want a multi-stage build (build + runtime)")
        return 1
    expand = lambda s: re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), s)
    build_from, build = st[0]
    run_from, runtime = st[-1]
    build_image = expand(build_from).split()[0]
    run_image = expand(run_from).split()[0]
    if build_image != "debian:bookworm":
        fail(f"build stage FROM {build_image}, want debian:bookworm")
    if run_image != "debian:bookworm-slim":
        fail(f"runtime stage FROM {run_image}, want debian:bookworm-slim")

    # Non-root, with the chart's ids.
    values_text = (root / "helm/stampede-exporter/values.yaml").read_text()
    users = [a for i, a in runtime if i == "USER"]
    if not users:
        fail("runtime stage has no USER: the image would run as root")
    else:
        user = users[-1]
        uid, _, gid = user.partition(":")
        if uid in ("0", "root") or gid in ("0", "root") or not uid.isdigit():
            fail(f"USER {user}: want a numeric non-root uid:gid (Kubernetes runAsNonRoot needs a number)")
        want_uid = re.search(r"^securityContext:\n(?:  .*\n)*?  runAsUser: (\d+)", values_text, re.M)
        if not want_uid or want_uid.group(1) != uid:
            fail(f"USER {user} differs from values.yaml securityContext.runAsUser "
                 f"{want_uid.group(1) if want_uid else '(none)'}")

    # Binary path: cmake -B DIR ... ; COPY --from=build DIR/bin/stampede_exporter DEST; ENTRYPOINT [DEST].
    build_runs = " ".join(a for i, a in build if i == "RUN")
    bdir = re.search(r"cmake -S \S+ -B (\S+)", build_runs)
    copies = [a.split() for i, a in runtime if i == "COPY" and a.startswith("--from=")]
    entry = [a for i, a in runtime if i == "ENTRYPOINT"]
    if not bdir:
        fail("build stage: no `cmake -S . -B DIR`")
    elif "--target stampede_exporter" not in build_runs:
        fail("build stage does not build the stampede_exporter target")
    if not copies or not entry:
        fail("runtime stage: want COPY --from=build ... and an ENTRYPOINT")
    elif bdir:
        src, dest = copies[0][1], copies[0][2]
        if src != f"{bdir.group(1)}/bin/stampede_exporter":
            fail(f"COPY {src}: CMake puts the binary at {bdir.group(1)}/bin/stampede_exporter "
                 "(CMAKE_RUNTIME_OUTPUT_DIRECTORY is <build>/bin)")
        try:
            ep = json.loads(entry[-1])
        except ValueError:
            ep = None
        if not isinstance(ep, list) or not ep or ep[0] != dest:
            fail(f"ENTRYPOINT {entry[-1]}: want the exec form starting with {dest}")
        # The OpenSSL shims (cmake/StampedeOpenSSLShim.cmake) go where the binary loads them
        # from when TLS or basic auth is on: ../lib/stampede_exporter beside bin/.
        shim_src = f"{bdir.group(1)}/lib/stampede_exporter/"
        want_dest = str(Path(dest).parent.parent / "lib" / "stampede_exporter") + "/"
        if [shim_src, want_dest] not in [c[1:3] for c in copies]:
            fail(f"runtime stage: want COPY --from=build {shim_src} {want_dest} (the OpenSSL "
                 "shims, which the binary loads from ../lib/stampede_exporter beside its bin/)")
    for opt in ("STAMPEDE_BUILD_TESTS", "STAMPEDE_BUILD_SCENARIOS", "STAMPEDE_BUILD_BENCHMARKS"):
        if f"-D{opt}=OFF" not in build_runs:
            fail(f"build stage: -D{opt}=OFF missing")
        if not re.search(rf"option\({opt}\b", (root / "CMakeLists.txt").read_text()):
            fail(f"CMakeLists.txt has no option {opt}")

    # Ports.
    exposed = " ".join(a for i, a in runtime if i == "EXPOSE").split()
    web_port = re.search(r"^web:\n(?:  #.*\n)*  port: (\d+)", values_text, re.M)
    if not web_port or f"{web_port.group(1)}/tcp" not in exposed:
        fail(f"EXPOSE {exposed} lacks the chart's web.port")

    # Image name and version.
    chart = (root / "helm/stampede-exporter/Chart.yaml").read_text()
    app_version = re.search(r'^appVersion: "?([^"\n]+)"?$', chart, re.M)
    project = re.search(r"project\(\w+ VERSION (\S+)", (root / "CMakeLists.txt").read_text())
    label = re.search(r'org\.opencontainers\.image\.version="([^"]+)"', text)
    repo = re.search(r"^image:\n  repository: (\S+)\n(?:  .*\n)*?  tag: \"\"", values_text, re.M)
    if not repo or repo.group(1) != "stampede-exporter/stampede-exporter":
        fail("values.yaml: want image.repository stampede-exporter/stampede-exporter and tag \"\" "
             "(defaulting to Chart.appVersion)")
    versions = {"Chart.appVersion": app_version and app_version.group(1),
                "CMake project VERSION": project and project.group(1),
                "image version label": label and label.group(1)}
    if len(set(versions.values())) != 1 or None in versions.values():
        fail(f"versions disagree: {versions}")

    # Debian packages exist.
    build_pkgs = apt_packages(build_runs)
    run_pkgs = apt_packages(" ".join(a for i, a in runtime if i == "RUN"))
    if not run_pkgs:
        fail("runtime stage installs no packages")
    for p in build_pkgs + run_pkgs:
        r = subprocess.run(["apt-cache", "show", p], capture_output=True, text=True)
        if r.returncode != 0 or f"Package: {p}" not in r.stdout:
            fail(f"apt package {p} not found in Debian (apt-cache show {p})")

    # The build context suffices to configure the exporter target.
    tmp = Path(tempfile.mkdtemp(prefix="dockerfile-ctx-"))
    try:
        for i, a in build:
            if i != "COPY" or a.startswith("--"):
                continue
            *srcs, _ = a.split()
            for s in srcs:
                p = root / s.rstrip("/")
                if p.is_dir():
                    shutil.copytree(p, tmp / "src" / s.rstrip("/"))
                elif p.is_file():
                    (tmp / "src").mkdir(exist_ok=True)
                    shutil.copy(p, tmp / "src" / s)
                else:
                    fail(f"COPY {s}: no such path in the repository")
        cm = re.search(r"cmake -S \. -B \S+ (.*?)&&", build_runs)
        flags = cm.group(1).split() if cm else []
        r = subprocess.run(["cmake", "-S", str(tmp / "src"), "-B", str(tmp / "build"), *flags],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail("configuring the Docker build context failed:\n" + (r.stdout + r.stderr)[-2000:])
        else:
            t = subprocess.run(["cmake", "--build", str(tmp / "build"), "--target", "help"],
                               capture_output=True, text=True)
            if "stampede_exporter" not in t.stdout:
                fail("the Docker build context defines no stampede_exporter target")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # The runtime packages provide every shared library the exporter needs: its own, and those
    # of the OpenSSL shims it loads for TLS and basic auth (libssl3).
    if exporter:
        ours = Path(exporter).resolve().parent.parent / "lib" / "stampede_exporter"
        shims = sorted(ours.glob("*.so"))
        if len(shims) != 2:
            fail(f"{ours}: want the two OpenSSL shims, found {[p.name for p in shims]}")
        ldd = "".join(subprocess.run(["ldd", str(f)], capture_output=True, text=True,
                                     check=True).stdout for f in [exporter, *shims])
        for lib in sorted(set(re.findall(r"=> (/\S+)", ldd))):
            real = str(Path(lib).resolve())
            if Path(real).parent == ours:
                continue  # an OpenSSL shim of this build, copied in by the check above
            owner = None
            for cand in (lib, real, real.replace("/lib/", "/usr/lib/", 1)):
                r = subprocess.run(["dpkg", "-S", cand], capture_output=True, text=True)
                if r.returncode == 0:
                    owner = r.stdout.split(":")[0]
                    break
            if owner is None:
                fail(f"{lib}: no Debian package owns it")
            elif owner not in run_pkgs and owner not in BASE_PACKAGES:
                fail(f"{lib} comes from {owner}, which the runtime stage does not install")

    if failures:
        return 1
    print(f"helm.dockerfile: {len(st)} stages; runtime {run_image} as USER {users[-1]}; "
          f"packages {' '.join(run_pkgs)} exist; image {repo.group(1)}:{app_version.group(1)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
