using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>
/// Self-attention with PyTorch's <c>nn.MultiheadAttention</c> parameters (<c>in_proj_weight</c> [3E, E] = rows
/// [q; k; v], <c>in_proj_bias</c>, <c>out_proj</c>), so its keys load as they are; tokens are [B, L, E] (the authors'
/// sequence-first layout computes the same). Scale 1/√(E / heads); no mask, no dropout.
/// </summary>
public sealed class MultiheadSelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly int heads;

    [ComponentName(Name = "in_proj_weight")]
    private readonly Parameter inputWeight;
    [ComponentName(Name = "in_proj_bias")]
    private readonly Parameter inputBias;
    [ComponentName(Name = "out_proj")]
    private readonly Linear outputProjection;

    public MultiheadSelfAttention(int width, int heads, Device? device = null) : base(nameof(MultiheadSelfAttention))
    {
        this.heads = heads;
        // PyTorch's initialisation: Xavier-uniform projections, zero biases.
        inputWeight = new Parameter(empty(3L * width, width, device: device));
        nn.init.xavier_uniform_(inputWeight);
        inputBias = new Parameter(zeros(3L * width, device: device));
        outputProjection = nn.Linear(width, width, device: device);
        using (no_grad())
            outputProjection.bias!.zero_();
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var attended = PackedAttention.Attend(nn.functional.linear(tokens, inputWeight, inputBias), heads);
        return outputProjection.call(attended).MoveToOuterDisposeScope();
    }
}
