namespace Viml.Training;

/// <summary>
/// The loss or a weight became NaN or infinite: the configuration (learning rate, weight decay, temperature)
/// drives this run apart. Nothing of the failing epoch is saved; <c>last/</c> and <c>best/</c> keep the previous one.
/// </summary>
public sealed class TrainingDivergedException : InvalidInputException
{
    public TrainingDivergedException(string message) : base(message) { }
}
