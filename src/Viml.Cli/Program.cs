using Spectre.Console.Cli;
using Viml.Cli.Commands;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("viml");
    config.PropagateExceptions();
    config.AddCommand<DoctorCommand>("doctor").WithDescription("Check that ffmpeg, TorchSharp, ONNX Runtime and the bundled weights work on this machine.");
    config.AddCommand<FeaturesCommand>("features").WithDescription("Extract per-segment video and music features of a manifest's items into a feature store.");
    // verbs: one line each, classes in Commands/
});
return Viml.Cli.ErrorReporting.Run(() => app.Run(args));
