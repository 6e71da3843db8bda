namespace DockerNetPlugin.Emulators.Consul;

/// <summary>A request the emulator received, for assertions about what the client sent.</summary>
public sealed record EmulatorRequest(string Method, string Path, string Query, string? Token);
