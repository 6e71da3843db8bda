using System.Collections;
using DockerNetPlugin.Store.Consul;
using DockerNetPlugin.Store.Etcd;
using DockerNetPlugin.Store.Local;
using Microsoft.Extensions.Logging;

namespace DockerNetPlugin.Store;

/// <summary>Opens the backend a <see cref="StoreConnection"/> (a <c>DNP_STORE</c> value) names.</summary>
public static class StoreFactory
{
    /// <summary>Parses <c>DNP_STORE</c> from <paramref name="environment"/> and opens that store.</summary>
    public static Task<IKvStore> OpenFromEnvironmentAsync(IDictionary environment, ILoggerFactory? loggers, CancellationToken ct) =>
        OpenAsync(StoreConnection.FromEnvironment(environment), loggers, ct);

    public static async Task<IKvStore> OpenAsync(StoreConnection connection, ILoggerFactory? loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Backend switch
        {
            StoreBackend.File => await FileKvStore.OpenAsync(new FileKvStoreOptions(connection.Directory!), loggers, ct).ConfigureAwait(false),
            StoreBackend.Etcd => await EtcdKvStore.ConnectAsync(connection.Etcd!, loggers, ct).ConfigureAwait(false),
            StoreBackend.Consul => await OpenConsulAsync(connection, loggers, ct).ConfigureAwait(false),
            _ => throw new StoreException($"unknown store backend {connection.Backend}"),
        };
    }

    private static Task<IKvStore> OpenConsulAsync(StoreConnection connection, ILoggerFactory? loggers, CancellationToken ct) =>
        ConsulKvStore.ConnectAsync(connection.Consul!, loggers, ct);
}
