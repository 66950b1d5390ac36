using System.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// The reference's two Adam optimisers (GQ_SPEC §4.2; betas (0.9, 0.999), eps 1e-8, no weight decay, no
/// schedule, no clipping): one for the autoencoder at learning rate × generator factor, one for the discriminator
/// at the learning rate; with Lightning's manual-optimisation step around them, and their state for resuming.
/// Create it after the modules are on their device: the optimisers keep the parameters they were given.
/// </summary>
public sealed class AdversarialOptimizers : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;
    private static readonly byte[] StateMagic = "GQADAM01"u8.ToArray();

    private readonly Parameter[] autoencoderParameters;
    private readonly Parameter[] discriminatorParameters;
    private readonly Adam autoencoder;
    private readonly Adam discriminator;

    /// <param name="autoencoderParameters">
    /// The loss's learned log-variance, the regularizer's trainable parameters, then encoder and decoder (the
    /// reference's order, which the saved state depends on).
    /// </param>
    /// <param name="discriminatorParameters">The discriminator's parameters.</param>
    /// <param name="learningRate">The discriminator's learning rate (<c>base_learning_rate</c>).</param>
    /// <param name="generatorLearningRateFactor">The autoencoder's learning rate is this times the learning rate (<c>lr_g_factor</c>).</param>
    public AdversarialOptimizers(IEnumerable<Parameter> autoencoderParameters, IEnumerable<Parameter> discriminatorParameters,
        double learningRate, double generatorLearningRateFactor = 1.0)
    {
        ArgumentNullException.ThrowIfNull(autoencoderParameters);
        ArgumentNullException.ThrowIfNull(discriminatorParameters);
        if (!(learningRate > 0) || !double.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be a finite value > 0");
        if (!(generatorLearningRateFactor > 0) || !double.IsFinite(generatorLearningRateFactor))
            throw new ArgumentOutOfRangeException(nameof(generatorLearningRateFactor), generatorLearningRateFactor,
                "the generator's learning-rate factor must be a finite value > 0");
        this.autoencoderParameters = autoencoderParameters.ToArray();
        this.discriminatorParameters = discriminatorParameters.ToArray();
        if (this.autoencoderParameters.Length == 0 || this.discriminatorParameters.Length == 0)
            throw new ArgumentException("both the autoencoder and the discriminator need at least one parameter to train");
        var handles = new HashSet<IntPtr>();
        foreach (var parameter in this.autoencoderParameters.Concat(this.discriminatorParameters))
            if (!handles.Add(parameter.Handle))
                throw new ArgumentException("a parameter was given twice (to one optimiser twice, or to both)");

        AutoencoderLearningRate = generatorLearningRateFactor * learningRate;
        DiscriminatorLearningRate = learningRate;
        autoencoder = new Adam(this.autoencoderParameters, AutoencoderLearningRate, Beta1, Beta2, Epsilon);
        discriminator = new Adam(this.discriminatorParameters, DiscriminatorLearningRate, Beta1, Beta2, Epsilon);
    }

    public double AutoencoderLearningRate { get; }

    public double DiscriminatorLearningRate { get; }

    /// <summary>
    /// One optimisation step of <paramref name="phase"/>, as the reference's manual optimisation does it:
    /// <see cref="BeginBackward"/>, <paramref name="objective"/>'s forward pass and its back-propagation, then <see cref="Apply"/>.
    /// </summary>
    /// <param name="objective">Runs the forward pass and returns the scalar loss; the caller keeps ownership of it.</param>
    public void Step(TrainingPhase phase, Func<Tensor> objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        using (BeginBackward(phase))
            objective().backward();
        Apply(phase);
    }

    /// <summary>
    /// Starts the forward and backward pass of <paramref name="phase"/>: its gradients are reset to none (so a parameter
    /// that gets no gradient is not moved, momentum included) and the other optimiser's parameters stop requiring
    /// gradients (so the forward pass builds no graph for them) until the returned object is disposed.
    /// </summary>
    public IDisposable BeginBackward(TrainingPhase phase)
    {
        var (_, trained, other) = PartsOf(phase);
        foreach (var parameter in trained)
            parameter.grad = null;
        return new FrozenParameters(other.Where(parameter => parameter.requires_grad).ToArray());
    }

    /// <summary>The parameters <paramref name="phase"/> trains, in the optimiser's order (whose gradients a data-parallel run reduces).</summary>
    public IReadOnlyList<Parameter> TrainedBy(TrainingPhase phase) => PartsOf(phase).Trained;

    /// <summary>The Adam step of <paramref name="phase"/> with the gradients its parameters hold now.</summary>
    public void Apply(TrainingPhase phase) => PartsOf(phase).Optimizer.step();

    private (Adam Optimizer, Parameter[] Trained, Parameter[] Other) PartsOf(TrainingPhase phase) => phase switch
    {
        TrainingPhase.Autoencoder => (autoencoder, autoencoderParameters, discriminatorParameters),
        TrainingPhase.Discriminator => (discriminator, discriminatorParameters, autoencoderParameters),
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "unknown training phase"),
    };

    /// <summary>Writes both optimisers' complete state (step counts, first and second moments, options) to <paramref name="stream"/>.</summary>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(StateMagic);
        writer.Write(autoencoderParameters.Length);
        writer.Write(discriminatorParameters.Length);
        autoencoder.save_state_dict(writer);
        discriminator.save_state_dict(writer);
    }

    /// <summary>
    /// Restores the state written by <see cref="SaveState"/> for the same parameter lists (count, order and shapes),
    /// so that training continues exactly as if it had not been interrupted.
    /// </summary>
    /// <param name="name">The file or entry the stream comes from, for error messages.</param>
    public void LoadState(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(StateMagic.Length).AsSpan().SequenceEqual(StateMagic))
                throw new InvalidDataException($"{name}: not a GaussQuant optimiser state");
            int autoencoderCount = reader.ReadInt32(), discriminatorCount = reader.ReadInt32();
            if (autoencoderCount != autoencoderParameters.Length || discriminatorCount != discriminatorParameters.Length)
                throw new InvalidDataException(
                    $"{name}: optimiser state for {autoencoderCount} autoencoder and {discriminatorCount} discriminator parameters, " +
                    $"but this model has {autoencoderParameters.Length} and {discriminatorParameters.Length}");
            autoencoder.load_state_dict(reader);
            discriminator.load_state_dict(reader);
        }
        catch (Exception error) when (error is EndOfStreamException or ArgumentException)
        {
            throw new InvalidDataException($"{name}: optimiser state is truncated or does not fit this model ({error.Message})", error);
        }
    }

    public void Dispose()
    {
        autoencoder.Dispose();
        discriminator.Dispose();
    }

    /// <summary>Parameters that stop requiring gradients while a phase's forward and backward pass run, and require them again after.</summary>
    private sealed class FrozenParameters : IDisposable
    {
        private readonly Parameter[] frozen;

        public FrozenParameters(Parameter[] parameters)
        {
            frozen = parameters;
            foreach (var parameter in frozen)
                parameter.requires_grad = false;
        }

        public void Dispose()
        {
            foreach (var parameter in frozen)
                parameter.requires_grad = true;
        }
    }
}
