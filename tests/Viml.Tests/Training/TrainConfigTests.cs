using Viml.Training;

namespace Viml.Tests.Training;

public class TrainConfigTests
{
    [Theory]
    [InlineData("", "malformed")]
    [InlineData("{", "malformed")]
    [InlineData("null", "empty")]
    [InlineData("[1, 2]", "malformed")]
    [InlineData("{\"epochs\": \"ten\"}", "malformed")]
    [InlineData("{\"batch_size\": 1}", "batch_size must be at least 2")]
    [InlineData("{\"epochs\": -5}", "epochs must be at least 1")]
    [InlineData("{\"learning_rate\": 0}", "learning_rate must be in (0, 1], got 0")]
    [InlineData("{\"learning_rate\": 1e400}", "learning_rate must be in (0, 1], got Infinity")]
    [InlineData("{\"weight_decay\": 1e300}", "weight_decay must be in [0, 1]")]
    [InlineData("{\"threads\": -5}", "threads must be between 0 (all cores) and 1024, got -5")]
    [InlineData("{\"model\": {\"temperature\": 1e-30}}", "temperature must be in [0.001, 100]")]
    [InlineData("{\"validation_fraction\": 0.7, \"test_fraction\": 0.5}", "below 1")]
    [InlineData("{\"batch_size\": 99999999999999}", "malformed")]
    public void Train_configs_that_are_malformed_or_out_of_range_name_the_file_and_the_problem(string json, string problem)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["train.json"], json);
        var e = Assert.ThrowsAny<ConfigException>(() => TrainConfig.Read(dir["train.json"]));
        Assert.Contains(dir["train.json"], e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Equal(2, Viml.Cli.ExitCodes.For(e));    // bad input, as every config error (docs/hostile-input.md)
    }
}
