namespace DockerNetPlugin.Store.Etcd;

/// <summary>How to reach an etcd v3 cluster through its JSON gateway. <see cref="ToString"/> never shows the password.</summary>
public sealed class EtcdOptions
{
    public const int DefaultPort = 2379;

    /// <summary>Client URLs (http or https) of the members; calls fail over between them.</summary>
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    /// <summary>etcd user for <c>/v3/auth/authenticate</c>; null when auth is off.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>PEM file of the CA that signed the members' certificates (https endpoints).</summary>
    public string? CaCertFile { get; init; }

    /// <summary>PEM client certificate and key, when the cluster requires client certificates (use a CN-less one, kv.md §2.9).</summary>
    public string? ClientCertFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary>Timeout of one unary request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bounded retry of transient failures.</summary>
    public StoreRetryPolicy Retry { get; init; } = StoreRetryPolicy.Default;

    /// <summary>Events buffered per watcher; a watcher that falls further behind gets a <see cref="KvResync"/>.</summary>
    public int WatchBuffer { get; init; } = 1024;

    /// <summary>A watch that hears nothing (no event, no progress) for this long is re-opened (a partitioned member can hang silently).</summary>
    public TimeSpan WatchIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public override string ToString() =>
        $"etcd at {string.Join(",", Endpoints.Select(e => e.GetLeftPart(UriPartial.Authority)))}{(Username is null ? "" : $" as user {Username}")}";
}
