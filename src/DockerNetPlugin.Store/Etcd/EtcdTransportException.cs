namespace DockerNetPlugin.Store.Etcd;

/// <summary>A gateway call that failed below HTTP (refused, reset, timed out). Internal; surfaces as <see cref="StoreUnavailableException"/>.</summary>
internal sealed class EtcdTransportException : Exception
{
    public EtcdTransportException(string message, bool requestMayHaveArrived, Exception? inner) : base(message, inner)
    {
        RequestMayHaveArrived = requestMayHaveArrived;
    }

    public bool RequestMayHaveArrived { get; }
}
