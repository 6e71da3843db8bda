using System.Text;
using System.Text.Json;
using DockerNetPlugin.Store.Etcd;

namespace DockerNetPlugin.Store.Tests.Etcd;

/// <summary>The gateway dialect (kv.md §2.2, bodies as verified on etcd 3.4.23): snake_case, base64 bytes, int64 as strings, omitted zeros.</summary>
public sealed class EtcdJsonContextTests
{
    [Fact]
    public void Serialize_CreateOnlyTxn_UsesGatewayNamesBase64AndStringNumbers()
    {
        var key = Encoding.UTF8.GetBytes("net/a");
        var txn = new EtcdTxnRequest
        {
            Compare = [new EtcdCompare { Key = key, Target = "CREATE", CreateRevision = 0 }],
            Success = [new EtcdRequestOp { RequestPut = new EtcdPutRequest { Key = key, Value = [1, 2], Lease = 7587869580812411931 } }],
            Failure = [new EtcdRequestOp { RequestRange = new EtcdRangeRequest { Key = key } }],
        };

        var json = JsonSerializer.Serialize(txn, EtcdJsonContext.Default.EtcdTxnRequest);

        Assert.Equal(
            """{"compare":[{"key":"bmV0L2E=","target":"CREATE","result":"EQUAL","create_revision":"0"}],"success":[{"request_put":{"key":"bmV0L2E=","value":"AQI=","lease":"7587869580812411931"}}],"failure":[{"request_range":{"key":"bmV0L2E="}}]}""",
            json);
    }

    [Fact]
    public void Deserialize_RangeAnswerWithOmittedZeros_ReadsStringsAndDefaults()
    {
        const string body = """{"header":{"cluster_id":"14841639068965178418","member_id":"10276657743932975437","revision":"4","raft_term":"2"},"kvs":[{"key":"bmV0L2E=","create_revision":"2","mod_revision":"4","version":"3","lease":"7587869580812411931"}],"count":"1"}""";

        var range = JsonSerializer.Deserialize(body, EtcdJsonContext.Default.EtcdRangeResponse)!;

        var kv = Assert.Single(range.Kvs!);
        Assert.Equal(4, range.Header!.Revision);
        Assert.Equal((2L, 4L), (kv.CreateRevision, kv.ModRevision));
        Assert.Null(kv.Value); // an empty value is left out
        var entry = EtcdKeys.ToEntry(kv);
        Assert.Equal("net/a", entry.Key);
        Assert.Equal(0, entry.Value.Length);
        Assert.Equal("7587869580812411931", entry.LeaseId);
    }

    [Fact]
    public void Deserialize_WatchLines_DistinguishesEventsCompactionAndProgress()
    {
        var events = JsonSerializer.Deserialize("""{"result":{"header":{"revision":"6"},"events":[{"kv":{"key":"YQ==","create_revision":"5","mod_revision":"5","version":"1","value":"MQ=="}},{"type":"DELETE","kv":{"key":"YQ==","mod_revision":"6"}}]}}""", EtcdJsonContext.Default.EtcdWatchEnvelope)!;
        var compacted = JsonSerializer.Deserialize("""{"result":{"header":{"revision":"9"},"canceled":true,"compact_revision":"5"}}""", EtcdJsonContext.Default.EtcdWatchEnvelope)!;

        Assert.Equal(["put", "DELETE"], events.Result!.Events!.Select(e => e.Type ?? "put").ToArray());
        Assert.True(compacted.Result!.Canceled);
        Assert.Equal(5, compacted.Result.CompactRevision);
    }

    [Fact]
    public void PrefixEnd_LastByteIncremented_AndAllFfMeansEndOfKeyspace()
    {
        Assert.Equal("net0"u8.ToArray(), EtcdKeys.PrefixEnd("net/"u8.ToArray()));
        Assert.Equal(new byte[] { 0x62 }, EtcdKeys.PrefixEnd([0x61, 0xFF]));
        Assert.Equal(new byte[] { 0 }, EtcdKeys.PrefixEnd([0xFF]));
    }
}
