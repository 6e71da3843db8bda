using DockerNetPlugin.Cli;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
