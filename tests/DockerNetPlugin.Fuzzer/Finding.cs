namespace DockerNetPlugin.Fuzzer;

/// <summary>One reply that broke the rules, with what is needed to send the same request again.</summary>
public sealed record Finding(int Worker, int Index, RequestOrigin Origin, string Method, string Path, string Note, string Problem, string Body, string Reply)
{
    public override string ToString() =>
        $"[w{Worker} #{Index} {Origin}] {Method} {Excerpt.Of(Path, 80)} ({Note}): {Problem}\n    body:  {Body}\n    reply: {Reply}";
}
