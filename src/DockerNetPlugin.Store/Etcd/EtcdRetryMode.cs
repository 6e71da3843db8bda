namespace DockerNetPlugin.Store.Etcd;

/// <summary>How a gateway call may be retried.</summary>
internal enum EtcdRetryMode
{
    /// <summary>Safe to repeat (reads, plain put/delete, lease grant): retry every transient failure.</summary>
    Idempotent,

    /// <summary>Compare-and-set and txn: retry only when the request surely never reached a server.</summary>
    UnsentOnly,

    /// <summary>One attempt (keepalive, health): the caller has its own loop.</summary>
    Once,
}
