using System.Text.Json;

namespace DockerNetPlugin.Fuzzer;

/// <summary>
/// Judges one reply by what Docker would make of it (remote-api.md §1.4–1.5): it must come back, not be a 5xx, be a
/// JSON object, and be either a correct result of the method or a non-empty error in the method's error field
/// (<c>Err</c> for the network driver, <c>Error</c> for IPAM: a 200 with the other field counts as success for Docker).
/// An error that only reports an internal exception is a finding too: the plugin did not expect that input.
/// </summary>
public static class ReplyValidator
{
    /// <summary>The text <c>PluginCall</c> gives exceptions it did not anticipate.</summary>
    public const string InternalErrorMarker = "internal error in ";

    /// <summary>The text of a store failure; the fuzzed plugin's store never fails, so the input caused it.</summary>
    public const string StoreBlamed = "store unavailable";

    public static Verdict Judge(FuzzRequest request, PluginReply reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        if (!reply.Answered)
            return Verdict.Finding($"no reply: {reply.TransportError}");
        if (reply.Status >= 500)
            return Verdict.Finding($"HTTP {reply.Status}");

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Verdict.Finding($"HTTP {reply.Status} with a reply that is not JSON ({reply.Body.Length} bytes)");
        }
        if (root.ValueKind != JsonValueKind.Object)
            return Verdict.Finding($"HTTP {reply.Status} with a JSON {root.ValueKind}, not an object");

        var method = PluginApi.Methods.FirstOrDefault(m => string.Equals(m, request.Path, StringComparison.OrdinalIgnoreCase));
        // Docker reads a 200 reply's error from the subsystem's field; any other status is an error whatever the body
        // says (its text comes from Err, else the raw body), so either field names it there.
        var field = PluginApi.ErrorFieldOf(request.Path);
        var wanted = field == ErrorField.Err ? "Err" : "Error";
        var other = field == ErrorField.Err ? "Error" : "Err";
        if (reply.Status != 200 && !ReplyJson.TryGet(root, wanted, out _))
            (wanted, other) = (other, wanted);
        if (ReplyJson.TryGet(root, wanted, out var error) && !(error.ValueKind == JsonValueKind.String && error.GetString()!.Length == 0))
        {
            if (error.ValueKind != JsonValueKind.String)
                return Verdict.Finding($"{wanted} is a JSON {error.ValueKind}, not a string");
            var message = error.GetString()!;
            if (message.Contains(InternalErrorMarker, StringComparison.Ordinal))
                return Verdict.Finding($"unhandled exception: {Excerpt.Of(message, 300)}");
            if (message.Contains(StoreBlamed, StringComparison.Ordinal))
                return Verdict.Finding($"blames the store, which is up for the whole run: {Excerpt.Of(message, 300)}");
            return new Verdict(Outcome.Error, message, root);
        }
        if (ReplyJson.String(root, other) is { Length: > 0 } misplaced)
            return Verdict.Finding($"error in '{other}' instead of '{wanted}' (Docker reads this as success): {Excerpt.Of(misplaced, 200)}");
        if (method is null || request.Method != HttpMethod.Post)
            return Verdict.Finding($"HTTP {reply.Status} without an error for {request.Method} {Excerpt.Of(request.Path, 80)}, which the plugin does not serve");
        if (reply.Status != 200)
            return Verdict.Finding($"HTTP {reply.Status} without an error");
        return SuccessShapes.Check(method, request.Body, root) is { } problem
            ? Verdict.Finding($"malformed result: {problem}")
            : new Verdict(Outcome.Success, null, root);
    }
}
