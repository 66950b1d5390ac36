using GaussQuant.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>
/// Per-channel affine normalisation y = scale·(x + loc) whose parameters are set from the statistics of the first
/// batch it sees in training mode (loc = −mean, scale = 1 / (unbiased std + 1e-6) over batch and space), after
/// which they are trained like any other parameter. Parameter names (<c>loc</c>, <c>scale</c>, and the uint8
/// buffer <c>initialized</c>) are the reference's, so its checkpoints load unchanged.
/// </summary>
public sealed class ActNorm : nn.Module<Tensor, Tensor>
{
    private const double StdEpsilon = 1e-6;

    private readonly Parameter loc;
    private readonly Parameter scale;
    private readonly Tensor initialized;

    /// <param name="channels">Channels of the input, C in [B, C, H, W].</param>
    /// <param name="device">Where the parameters are created (CPU by default).</param>
    public ActNorm(long channels, Device? device = null) : base(nameof(ActNorm))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        loc = new Parameter(zeros(1, channels, 1, 1, device: device));
        scale = new Parameter(ones(1, channels, 1, 1, device: device));
        initialized = tensor((byte)0, device: device);
        RegisterComponents();
    }

    /// <summary>
    /// The ranks of a data-parallel job, whose first batches together are the batch the statistics come from (so every
    /// rank starts from the parameters one process with the whole batch would); a single process by default.
    /// </summary>
    public ICommunicator Ranks { get; set; } = SingleProcess.Instance;

    /// <summary>Whether loc and scale have been set from data (or loaded from a checkpoint that had them set).</summary>
    public bool IsInitialized => initialized.item<byte>() != 0;

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4)
            throw new ArgumentException($"ActNorm expects [B, C, H, W] input, got [{string.Join(", ", input.shape)}]", nameof(input));
        if (training && !IsInitialized)
            InitializeFrom(input);
        return scale * (input + loc);
    }

    private void InitializeFrom(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long channels = input.shape[1];
        var perChannel = input.transpose(0, 1).reshape(channels, -1);
        var (mean, std) = Ranks.Size == 1
            ? (perChannel.mean([1]), perChannel.std(1, unbiased: true))
            : StatisticsOverRanks(perChannel);
        mean = mean.view(1, channels, 1, 1);
        std = std.view(1, channels, 1, 1);
        loc.copy_(-mean);
        scale.copy_(1.0 / (std + StdEpsilon));
        initialized.fill_(1);
    }

    /// <summary>Per-channel mean and unbiased std over every rank's values, in two passes in float64 (sums, then squared deviations).</summary>
    private (Tensor Mean, Tensor Std) StatisticsOverRanks(Tensor perChannel)
    {
        long channels = perChannel.shape[0];
        var values = perChannel.to(ScalarType.Float64);
        var sums = new double[channels + 1];
        values.sum(1).data<double>().CopyTo(sums);
        sums[channels] = perChannel.shape[1];
        Ranks.AllReduceSum(sums);
        double count = sums[channels];
        var mean = tensor(sums[..^1], ScalarType.Float64, perChannel.device).div(count);
        var squares = values.sub(mean.unsqueeze(1)).square().sum(1).data<double>().ToArray();
        Ranks.AllReduceSum(squares);
        var std = tensor(squares, ScalarType.Float64, perChannel.device).div(count - 1).sqrt();
        return (mean.to(perChannel.dtype), std.to(perChannel.dtype));
    }
}
