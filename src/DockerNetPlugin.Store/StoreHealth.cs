namespace DockerNetPlugin.Store;

public sealed record StoreHealth(bool Healthy, string Detail);
