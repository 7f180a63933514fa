using Spectre.Console.Cli;
using Viml.Cli.Commands;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("viml");
    config.PropagateExceptions();
    config.AddCommand<DoctorCommand>("doctor").WithDescription("Check that ffmpeg, TorchSharp, ONNX Runtime and the bundled weights work on this machine.");
    config.AddCommand<TrainCommand>("train").WithDescription("Train ViML, MVPt+ or MT on a feature store and its texts (resumable).");
    config.AddCommand<EvalCommand>("eval").WithDescription("Rank pools of N music items per query: R@1/5/10 and median rank for ViML, MVPt+, MT and their ensembles.");
    config.AddBranch("bench", b => b.AddCommand<BenchReproduceCommand>("reproduce").WithDescription("Train and evaluate everything on the synthetic benchmark; print the paper's claims beside ours."));
    // verbs: one line each, classes in Commands/
});
return Viml.Cli.ErrorReporting.Run(() => app.Run(args));
