using DockerNetPlugin.Driver.Cluster;
using DockerNetPlugin.Driver.Trust;
using DockerNetPlugin.Store;
using Microsoft.Extensions.Time.Testing;

namespace DockerNetPlugin.Driver.Tests.Trust;

public sealed class InvalidRecordLogTests
{
    private readonly RecordingLogger _logger = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly InvalidRecordLog _log;

    public InvalidRecordLogTests() => _log = new InvalidRecordLog(_logger, _time);

    private static readonly string s_key = ClusterKeys.Endpoint("net1", "ep1");

    [Fact]
    public void Report_SameKeyAndReasonEveryPass_LogsOnceAndCounts()
    {
        for (var pass = 0; pass < 5; pass++)
        {
            _log.Report(new InvalidRecord(s_key, "field 'mac' is missing"));
            _time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(1, _logger.Count(2901));
        Assert.Contains(s_key, _logger.Lines.Single().Text, StringComparison.Ordinal);
        var status = _log.Snapshot();
        Assert.Equal(1, status.Count);
        var record = Assert.Single(status.Records);
        Assert.Equal(5, record.Times);
        Assert.Equal(TimeSpan.FromSeconds(120), record.LastSeen - record.FirstSeen);
    }

    [Fact]
    public void Report_ReasonChanges_LogsAgain()
    {
        _log.Report(new InvalidRecord(s_key, "a"));
        _log.Report(new InvalidRecord(s_key, "b"));

        Assert.Equal(2, _logger.Count(2901));
        Assert.Equal("b", _log.Snapshot().Records.Single().Reason);
    }

    [Fact]
    public void Clear_KnownKey_ForgetsAndLogsRecovery_UnknownKeySilent()
    {
        _log.Report(new InvalidRecord(s_key, "a"));
        _log.Clear(s_key);
        _log.Clear("dnp/v1/endpoints/other/x");

        Assert.Equal(0, _log.Count);
        Assert.Equal(1, _logger.Count(2902));
    }

    [Fact]
    public void ReplaceUnder_ForgetsKeysUnderPrefixNotInvalidAnyMore_KeepsOthers()
    {
        var other = ClusterKeys.Network("net9");
        _log.Report(new InvalidRecord(s_key, "a"));
        _log.Report(new InvalidRecord(other, "b"));
        var second = ClusterKeys.Endpoint("net1", "ep2");

        _log.ReplaceUnder(ClusterKeys.EndpointsPrefix, [new InvalidRecord(second, "c")]);

        Assert.Equal(new[] { other, second }.Order(StringComparer.Ordinal), _log.Snapshot().Records.Select(r => r.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Drift_ReportsRecordInvalidPerKey_NotRepairable_WithNetwork()
    {
        _log.Report(new InvalidRecord(s_key, "field 'mac' is missing"));
        _log.Report(new InvalidRecord("dnp/v1/vnis/junk", "the key is not vnis/<decimal VNI>"));

        var drift = _log.Drift();

        Assert.All(drift, d => Assert.Equal("record-invalid", d.Kind));
        Assert.All(drift, d => Assert.False(d.Repairable));
        Assert.Equal(["-", "net1"], drift.Select(d => d.Network).Order(StringComparer.Ordinal));
        Assert.Contains(drift, d => d.Object == s_key && d.Detail.Contains("field 'mac' is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_BeyondMaxTracked_CountsWithoutLoggingEach()
    {
        for (var i = 0; i < InvalidRecordLog.MaxTracked + 50; i++)
            _log.Report(new InvalidRecord(ClusterKeys.Endpoint("net1", $"e{i}"), "bad"));

        Assert.Equal(InvalidRecordLog.MaxTracked + 50, _log.Count);
        Assert.Equal(InvalidRecordLog.MaxTracked, _logger.Count(2901));
        Assert.Equal(1, _logger.Count(2903));
        Assert.Equal(InvalidRecordLog.MaxListed, _log.Snapshot().Records.Count);
    }

    [Fact]
    public void Note_ValidCheck_ClearsKey_InvalidCheckReports()
    {
        Assert.Null(_log.Note(s_key, RecordCheck<string>.Fail(s_key, "bad")));
        Assert.Equal(1, _log.Count);

        Assert.Equal("ok", _log.Note(s_key, RecordCheck<string>.Valid("ok")));
        Assert.Equal(0, _log.Count);
    }
}
