using System.Text.Json;

namespace DockerNetPlugin.Benchmarks.Beds;

/// <summary>
/// One line of the plugin's log with <c>DNP_LOG_FORMAT=json</c> (Serilog's JSON formatter): its event id and, for the
/// per-call lines of <c>PluginCall</c> (1001 ok, 1002 failed, 1003 crashed), the API method and its duration.
/// </summary>
internal sealed record PluginLogEvent(DateTimeOffset Timestamp, int EventId, string Message, string? Method, double? ElapsedMs)
{
    internal const int CallSucceeded = 1001;
    internal const int CallFailed = 1002;
    internal const int CallCrashed = 1003;
    internal const int Ready = 1006;

    /// <summary>The driver's reaper deleted a departed endpoint's veth pair after the call replied (its ElapsedMs: the kernel call).</summary>
    internal const int VethDeleted = 2064;

    internal bool IsCall => EventId is CallSucceeded or CallFailed or CallCrashed;

    /// <summary>Null for lines that are not a JSON log event (the test bed's own "=== starting" lines).</summary>
    internal static PluginLogEvent? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var properties = root.TryGetProperty("Properties", out var p) ? p : default;
            var eventId = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("EventId", out var id) && id.TryGetProperty("Id", out var n) ? n.GetInt32() : 0;
            string? method = null;
            double? elapsed = null;
            if (properties.ValueKind == JsonValueKind.Object)
            {
                method = properties.TryGetProperty("Method", out var m) ? m.GetString() : null;
                elapsed = properties.TryGetProperty("ElapsedMs", out var e) ? e.GetDouble() : null;
            }

            return new PluginLogEvent(root.GetProperty("Timestamp").GetDateTimeOffset(), eventId, root.TryGetProperty("RenderedMessage", out var r) ? r.GetString() ?? string.Empty : string.Empty, method, elapsed);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
