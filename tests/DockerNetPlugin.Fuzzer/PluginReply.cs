namespace DockerNetPlugin.Fuzzer;

/// <summary>What the plugin answered to one request, or why nothing came back.</summary>
/// <param name="Status">HTTP status; 0 when the call failed below HTTP (see <paramref name="TransportError"/>).</param>
public sealed record PluginReply(int Status, byte[] Body, TimeSpan Elapsed, string? TransportError)
{
    public bool Answered => TransportError is null;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
