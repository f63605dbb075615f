package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"lianggao/internal/planner"
)

const campaignUsage = `lianggao campaign replay --inputs FILE --seed HEX [--commitment HEX]

Recomputes a campaign's city-to-group assignment from its published inputs
(the exact bytes of GET /api/v1/campaigns/{code}/assignment-inputs) and its
revealed seed (32 bytes, hex), and prints the assignment JSON byte for byte
as GET /api/v1/campaigns/{code}/plan shows it. With --commitment it first
checks that the hex SHA-256 of the seed followed by the inputs is the
commitment published before the draw, and fails if not.

Flags:
`

// runCampaign runs the campaign sub-commands; replay needs no database, so
// anyone holding the published inputs and seed can check a draw.
func (m *Main) runCampaign(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] != "replay" {
		fmt.Fprint(m.Stderr, campaignUsage)
		return errUsage
	}
	fs := flag.NewFlagSet("campaign replay", flag.ContinueOnError)
	fs.SetOutput(m.Stdout)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), campaignUsage)
		fs.PrintDefaults()
	}
	inputs := fs.String("inputs", "", "file holding the canonical assignment inputs")
	seed := fs.String("seed", "", "the revealed seed, 64 hex digits")
	commitment := fs.String("commitment", "", "the commitment published before the draw, hex")
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return errUsage
	}
	if *inputs == "" || *seed == "" {
		fs.Usage()
		return errUsage
	}
	b, err := os.ReadFile(*inputs)
	if err != nil {
		return err
	}
	out, err := planner.Replay(b, *seed, *commitment)
	if err != nil {
		return err
	}
	_, err = m.Stdout.Write(out)
	return err
}
