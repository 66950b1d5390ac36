using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn.Dinov2;

/// <summary>
/// The block's MLP: <c>fc1</c> → exact GELU → <c>fc2</c> (timm's <c>Mlp</c>), or for ViT-g the packed SwiGLU of timm's
/// <c>SwiGLUPacked</c> / Hugging Face's <c>weights_in</c>: <c>fc1</c> makes [gate | value], silu(gate) · value → <c>fc2</c>.
/// </summary>
public sealed class Dinov2Mlp : nn.Module<Tensor, Tensor>
{
    private readonly bool gated;

    [ComponentName(Name = "fc1")]
    private readonly Linear input;
    [ComponentName(Name = "fc2")]
    private readonly Linear output;

    public Dinov2Mlp(int width, int hidden, bool gated, Device? device = null) : base(nameof(Dinov2Mlp))
    {
        this.gated = gated;
        input = nn.Linear(width, gated ? 2L * hidden : hidden, device: device);
        output = nn.Linear(hidden, width, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var hidden = input.call(tokens);
        if (gated)
        {
            var halves = hidden.chunk(2, dim: -1);
            hidden = nn.functional.silu(halves[0]).mul(halves[1]);
        }
        else
        {
            hidden = nn.functional.gelu(hidden);
        }
        return output.call(hidden).MoveToOuterDisposeScope();
    }
}
