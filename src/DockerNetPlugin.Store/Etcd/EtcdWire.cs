// Wire types of the etcd v3 JSON gateway (kv.md §2.2): snake_case fields, bytes as base64,
// int64 as strings, zero values omitted in responses. One file because they are one dialect's
// plain data, read and written only through EtcdJsonContext.
#pragma warning disable CA1819 // byte[] properties are the gateway's base64 fields
using System.Text.Json.Serialization;

namespace DockerNetPlugin.Store.Etcd;

internal sealed class EtcdResponseHeader
{
    public long Revision { get; init; }
}

internal sealed class EtcdKeyValue
{
    public byte[] Key { get; init; } = [];
    public long CreateRevision { get; init; }
    public long ModRevision { get; init; }
    public long Version { get; init; }
    public byte[]? Value { get; init; }
    public long Lease { get; init; }
}

internal sealed class EtcdRangeRequest
{
    public required byte[] Key { get; init; }
    public byte[]? RangeEnd { get; init; }
}

internal sealed class EtcdRangeResponse
{
    public EtcdResponseHeader? Header { get; init; }
    public List<EtcdKeyValue>? Kvs { get; init; }
}

internal sealed class EtcdPutRequest
{
    public required byte[] Key { get; init; }
    public required byte[] Value { get; init; }
    public long? Lease { get; init; }
}

internal sealed class EtcdPutResponse
{
    public EtcdResponseHeader? Header { get; init; }
}

internal sealed class EtcdDeleteRangeRequest
{
    public required byte[] Key { get; init; }
    public byte[]? RangeEnd { get; init; }
}

internal sealed class EtcdDeleteRangeResponse
{
    public EtcdResponseHeader? Header { get; init; }
    public long Deleted { get; init; }
}

internal sealed class EtcdCompare
{
    public required byte[] Key { get; init; }
    /// <summary>VERSION, CREATE, MOD, VALUE or LEASE.</summary>
    public required string Target { get; init; }
    /// <summary>EQUAL, GREATER, LESS or NOT_EQUAL.</summary>
    public string Result { get; init; } = "EQUAL";
    public long? ModRevision { get; init; }
    public long? CreateRevision { get; init; }
}

internal sealed class EtcdRequestOp
{
    public EtcdRangeRequest? RequestRange { get; init; }
    public EtcdPutRequest? RequestPut { get; init; }
    public EtcdDeleteRangeRequest? RequestDeleteRange { get; init; }
}

internal sealed class EtcdTxnRequest
{
    public List<EtcdCompare> Compare { get; init; } = [];
    public List<EtcdRequestOp> Success { get; init; } = [];
    public List<EtcdRequestOp> Failure { get; init; } = [];
}

internal sealed class EtcdResponseOp
{
    public EtcdRangeResponse? ResponseRange { get; init; }
    public EtcdPutResponse? ResponsePut { get; init; }
    public EtcdDeleteRangeResponse? ResponseDeleteRange { get; init; }
}

internal sealed class EtcdTxnResponse
{
    public EtcdResponseHeader? Header { get; init; }
    public bool Succeeded { get; init; }
    public List<EtcdResponseOp>? Responses { get; init; }
}

internal sealed class EtcdCompactionRequest
{
    public long Revision { get; init; }
    public bool Physical { get; init; }
}

internal sealed class EtcdLeaseGrantRequest
{
    [JsonPropertyName("TTL")]
    public long Ttl { get; init; }
}

internal sealed class EtcdLeaseIdRequest
{
    [JsonPropertyName("ID")]
    public long Id { get; init; }
}

internal sealed class EtcdLeaseResponse
{
    public EtcdResponseHeader? Header { get; init; }

    [JsonPropertyName("ID")]
    public long Id { get; init; }

    [JsonPropertyName("TTL")]
    public long Ttl { get; init; }

    public string? Error { get; init; }
}

internal sealed class EtcdStreamError
{
    public int GrpcCode { get; init; }
    public int HttpCode { get; init; }
    public string? Message { get; init; }
}

internal sealed class EtcdLeaseKeepAliveEnvelope
{
    public EtcdLeaseResponse? Result { get; init; }
    public EtcdStreamError? Error { get; init; }
}

internal sealed class EtcdWatchCreateRequest
{
    public required byte[] Key { get; init; }
    public byte[]? RangeEnd { get; init; }
    public long StartRevision { get; init; }
    public bool ProgressNotify { get; init; }
}

internal sealed class EtcdWatchRequest
{
    public required EtcdWatchCreateRequest CreateRequest { get; init; }
}

internal sealed class EtcdEvent
{
    /// <summary>Absent for PUT, "DELETE" for deletes.</summary>
    public string? Type { get; init; }
    public EtcdKeyValue? Kv { get; init; }
}

internal sealed class EtcdWatchResponse
{
    public EtcdResponseHeader? Header { get; init; }
    public bool Created { get; init; }
    public bool Canceled { get; init; }
    public long CompactRevision { get; init; }
    public string? CancelReason { get; init; }
    public List<EtcdEvent>? Events { get; init; }
}

internal sealed class EtcdWatchEnvelope
{
    public EtcdWatchResponse? Result { get; init; }
    public EtcdStreamError? Error { get; init; }
}

internal sealed class EtcdAuthenticateRequest
{
    public required string Name { get; init; }
    public required string Password { get; init; }
}

internal sealed class EtcdAuthenticateResponse
{
    public string? Token { get; init; }
}

internal sealed class EtcdStatusRequest
{
}

internal sealed class EtcdStatusResponse
{
    public EtcdResponseHeader? Header { get; init; }
    public string? Version { get; init; }
    public ulong Leader { get; init; }
    public List<string>? Errors { get; init; }
}

/// <summary>Body of a failed unary call: <c>{"error","message","code"}</c> (kv.md §2.10).</summary>
internal sealed class EtcdErrorBody
{
    public string? Error { get; init; }
    public string? Message { get; init; }
    public int Code { get; init; }
}
