using Spectre.Console.Cli;
using Viml.Cli.Commands;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("viml");
    config.PropagateExceptions();
    config.AddCommand<DoctorCommand>("doctor").WithDescription("Check that ffmpeg, TorchSharp, ONNX Runtime and the bundled weights work on this machine.");
    config.AddBranch("yt8m", b => b.AddCommand<Yt8mImportCommand>("import").WithDescription("Import YouTube-8M frame-level TFRecord files into a feature store (video = rgb, music = audio)."));
    config.AddCommand<WorkerCommand>("worker").WithDescription("Run jobs from a Redis job queue (feature extraction, catalog ingest) until stopped.");
    config.AddBranch("jobs", b => { b.AddCommand<JobsStatusCommand>("status").WithDescription("Show the job queue: queued, running, dead-lettered."); b.AddCommand<JobsChecksumCommand>("checksum").WithDescription("Checksum files on the workers (a cluster check)."); });
    // verbs: one line each, classes in Commands/
});
return Viml.Cli.ErrorReporting.Run(() => app.Run(args));
