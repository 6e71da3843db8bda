using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DockerNetPlugin.Host;

/// <summary>
/// <c>GET /dnp/v1/doctor</c> (drift between kernel, store and Docker) and <c>POST /dnp/v1/doctor/repair</c> (fix it,
/// then check again), read by <c>dnp doctor [--repair]</c> over the plugin socket.
/// </summary>
internal static class DoctorEndpoints
{
    public static void MapDoctor(this IEndpointRouteBuilder app, PluginRuntime runtime)
    {
        app.MapGet("/dnp/v1/doctor", (HttpContext http) => RunAsync(http, runtime, repair: false));
        app.MapPost("/dnp/v1/doctor/repair", (HttpContext http) => RunAsync(http, runtime, repair: true));
    }

    private static async Task RunAsync(HttpContext http, PluginRuntime runtime, bool repair)
    {
        http.Response.ContentType = "application/json";
        if (!runtime.IsReady)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await JsonSerializer.SerializeAsync(http.Response.Body, new StatusError("dnp is still starting"), HostJsonContext.Default.StatusError).ConfigureAwait(false);
            return;
        }
        var reconciler = await runtime.ReconcilerAsync(http.RequestAborted).ConfigureAwait(false);
        var report = await reconciler.RunAsync(repair, http.RequestAborted).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(http.Response.Body, report, HostJsonContext.Default.DriftReport).ConfigureAwait(false);
    }
}
