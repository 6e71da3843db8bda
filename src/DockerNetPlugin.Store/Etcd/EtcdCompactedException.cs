namespace DockerNetPlugin.Store.Etcd;

/// <summary>The requested revision was compacted away (gRPC code 11); the watch turns it into a resync.</summary>
internal sealed class EtcdCompactedException : StoreException
{
    public EtcdCompactedException(string message) : base(message) { }
}
