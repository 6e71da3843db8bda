namespace DockerNetPlugin.Contract;

/// <summary>The operator API's paths on the plugin socket.</summary>
public static class OperatorApi
{
    public const string Prefix = "/dnp/v1";
}
