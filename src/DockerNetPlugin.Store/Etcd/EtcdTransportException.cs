namespace DockerNetPlugin.Store.Etcd;

/// <summary>
/// A member could not serve a gateway call: it failed below HTTP (refused, reset, timed out), or the member answered
/// that it has no leader (never proposed). Internal; surfaces as <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class EtcdTransportException : Exception
{
    public EtcdTransportException(string message, bool requestMayHaveArrived, Exception? inner) : base(message, inner)
    {
        RequestMayHaveArrived = requestMayHaveArrived;
    }

    public bool RequestMayHaveArrived { get; }
}
