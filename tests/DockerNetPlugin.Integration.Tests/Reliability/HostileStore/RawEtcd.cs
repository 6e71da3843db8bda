using System.Text;
using System.Text.Json;
using DockerNetPlugin.Testbed;

namespace DockerNetPlugin.Integration.Tests.Reliability.HostileStore;

/// <summary>One raw write to the store: <see cref="Value"/> under <see cref="Key"/>, or a delete when it is null.</summary>
internal sealed record RawOp(string Key, byte[]? Value);

/// <summary>
/// The test's own hostile writer of the bed's etcd: any bytes under any key, many writes per process. A python3 script in
/// etcd's namespace posts each one to etcd's JSON gateway on loopback (<c>/v3/kv/put</c>, <c>/v3/kv/deleterange</c>),
/// so a batch of hundreds costs one process start, not hundreds of <c>etcdctl</c> runs. Reads use <c>etcdctl -w json</c>.
/// </summary>
internal sealed class RawEtcd(EtcdServer etcd)
{
    // Reads one JSON object per line: {"k": base64 key, "v": base64 value or absent for a delete}. Prints the counts.
    private const string Script = """
        import sys, json, urllib.request
        ok = failed = 0
        errors = []
        for line in sys.stdin:
            op = json.loads(line)
            body = {"key": op["k"]}
            path = "/v3/kv/deleterange"
            if "v" in op:
                body["value"] = op["v"]
                path = "/v3/kv/put"
            req = urllib.request.Request("http://127.0.0.1:2379" + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
            try:
                urllib.request.urlopen(req, timeout=10).read()
                ok += 1
            except Exception as e:
                failed += 1
                errors.append(str(e)[:200])
        print(json.dumps({"ok": ok, "failed": failed, "errors": errors[:5]}))
        """;

    /// <summary>Applies <paramref name="ops"/> in order; how many the store took and refused (a refusal is no failure of the test: etcd may refuse a too large value).</summary>
    public async Task<(int Ok, int Failed, IReadOnlyList<string> Errors)> ApplyAsync(IReadOnlyList<RawOp> ops)
    {
        var input = new StringBuilder();
        foreach (var op in ops)
        {
            input.Append("{\"k\":\"").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(op.Key))).Append('"');
            if (op.Value is { } value)
                input.Append(",\"v\":\"").Append(Convert.ToBase64String(value)).Append('"');
            input.Append("}\n");
        }
        var result = (await etcd.ExecAsync(["python3", "-c", Script], input.ToString(), TimeSpan.FromMinutes(5))).EnsureSuccess();
        using var doc = JsonDocument.Parse(result.StdOut);
        var root = doc.RootElement;
        return (root.GetProperty("ok").GetInt32(), root.GetProperty("failed").GetInt32(),
            root.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? "").ToList());
    }

    /// <summary>Every key under <paramref name="prefix"/> with its bytes.</summary>
    public Task<Dictionary<string, byte[]>> ListAsync(string prefix) => ReadAsync("get", "--prefix", prefix, "-w", "json");

    /// <summary>The bytes of <paramref name="key"/>, or null when it is absent (one key: quick however much else the store holds).</summary>
    public async Task<byte[]?> GetAsync(string key) => (await ReadAsync("get", key, "-w", "json")).GetValueOrDefault(key);

    private async Task<Dictionary<string, byte[]>> ReadAsync(params string[] etcdctl)
    {
        var result = (await etcd.EtcdctlAsync(etcdctl)).EnsureSuccess();
        using var doc = JsonDocument.Parse(result.StdOut);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (!doc.RootElement.TryGetProperty("kvs", out var kvs))
            return entries;
        foreach (var kv in kvs.EnumerateArray())
        {
            var key = Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!));
            entries[key] = kv.TryGetProperty("value", out var v) ? Convert.FromBase64String(v.GetString()!) : [];
        }
        return entries;
    }
}
