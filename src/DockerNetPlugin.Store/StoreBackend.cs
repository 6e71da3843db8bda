namespace DockerNetPlugin.Store;

/// <summary>Which backend a <see cref="StoreConnection"/> selects.</summary>
public enum StoreBackend
{
    File,
    Etcd,
    Consul,
}
