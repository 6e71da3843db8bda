namespace DockerNetPlugin.Fuzzer;

/// <summary>Counts of one method's replies.</summary>
public sealed record MethodCounts(string Method, int Success, int Error, int Findings, double MeanMs);

/// <summary>Thread-safe tallies of a run: per method and outcome, latencies, and the findings (first 200 kept whole).</summary>
internal sealed class FuzzStats
{
    private const int KeptFindings = 200;
    private const int SlowestKept = 5;

    // Guards everything below; held only for in-memory updates.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int[]> _byMethod = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _msByMethod = new(StringComparer.Ordinal);
    private readonly List<double> _latenciesMs = [];
    private readonly List<Finding> _findings = [];
    private readonly List<(double Ms, string What)> _slowest = [];
    private int _findingCount;
    private int _sent;

    public int Sent
    {
        get
        {
            lock (_gate)
                return _sent;
        }
    }

    public int FindingCount
    {
        get
        {
            lock (_gate)
                return _findingCount;
        }
    }

    public void Record(int worker, int index, FuzzRequest request, PluginReply reply, Verdict verdict)
    {
        var method = PluginApi.Methods.FirstOrDefault(m => string.Equals(m, request.Path, StringComparison.OrdinalIgnoreCase) && request.Method == HttpMethod.Post)
            ?? "(unknown path or verb)";
        lock (_gate)
        {
            if (request.Origin != RequestOrigin.Closing)
                _sent++;
            if (!_byMethod.TryGetValue(method, out var counts))
                _byMethod[method] = counts = new int[3];
            counts[(int)verdict.Outcome]++;
            if (reply.Answered)
            {
                _latenciesMs.Add(reply.Elapsed.TotalMilliseconds);
                _msByMethod[method] = _msByMethod.GetValueOrDefault(method) + reply.Elapsed.TotalMilliseconds;
                KeepIfSlow(reply.Elapsed.TotalMilliseconds, $"{request.Method} {Excerpt.Of(request.Path, 60)} ({request.Note}, {request.Body.Length} bytes)");
            }
            if (verdict.Outcome != Outcome.Finding)
                return;
            _findingCount++;
            if (_findings.Count < KeptFindings)
            {
                _findings.Add(new Finding(worker, index, request.Origin, request.Method.Method, request.Path, request.Note, verdict.Problem ?? "?",
                    Excerpt.Of(request.Body, 300), reply.Answered ? $"HTTP {reply.Status} {Excerpt.Of(reply.Body, 300)}" : reply.TransportError ?? "-"));
            }
        }
    }

    private void KeepIfSlow(double ms, string what)
    {
        if (_slowest.Count == SlowestKept && ms <= _slowest[^1].Ms)
            return;
        _slowest.Add((ms, what));
        _slowest.Sort((a, b) => b.Ms.CompareTo(a.Ms));
        if (_slowest.Count > SlowestKept)
            _slowest.RemoveAt(SlowestKept);
    }

    /// <summary>A finding that is not one reply (a broken invariant seen through the status API).</summary>
    public void RecordInvariant(int worker, int index, string problem)
    {
        lock (_gate)
        {
            _findingCount++;
            if (_findings.Count < KeptFindings)
                _findings.Add(new Finding(worker, index, RequestOrigin.Structured, "GET", PluginApi.Status, "invariant", problem, "-", "-"));
        }
    }

    /// <summary>The slowest calls, slowest first.</summary>
    public IReadOnlyList<string> Slowest()
    {
        lock (_gate)
            return [.. _slowest.Select(s => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{s.Ms,8:0.0} ms  {s.What}"))];
    }

    public (IReadOnlyList<MethodCounts> Methods, IReadOnlyList<Finding> Findings, int FindingCount, double P50, double P99, double Max) Snapshot()
    {
        lock (_gate)
        {
            var sorted = _latenciesMs.Order().ToList();
            double At(double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
            var methods = _byMethod.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new MethodCounts(m.Key, m.Value[0], m.Value[1], m.Value[2], _msByMethod.GetValueOrDefault(m.Key) / Math.Max(1, m.Value.Sum()))).ToList();
            return (methods, [.. _findings], _findingCount, At(0.5), At(0.99), sorted.Count == 0 ? 0 : sorted[^1]);
        }
    }
}
