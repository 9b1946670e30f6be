def seed_petition_steps():
    return 0
